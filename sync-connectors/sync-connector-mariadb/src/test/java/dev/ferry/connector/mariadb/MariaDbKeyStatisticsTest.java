package dev.ferry.connector.mariadb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MariaDbKeyStatisticsTest {

    @Test
    void jsonHistogramsGiveTheirBucketStarts() {
        String json = "{\"target_histogram_size\": 254, \"histogram_hb\": [{\"start\": \"-3\", \"size\": 0.5, \"ndv\": 9},"
                + " {\"start\": \"120\", \"end\": \"900\", \"size\": 0.5, \"ndv\": 40}]}";
        assertEquals(List.of(-3L, 120L),
                MariaDbKeyStatistics.decodeHistogram("JSON_HB", json.getBytes(StandardCharsets.UTF_8), "-3", "900"));
    }

    @Test
    void binaryHistogramsAreFractionsOfTheSpanBetweenMinAndMax() {
        // DOUBLE_PREC_HB: little-endian 16-bit fractions of 65535; SINGLE_PREC_HB: 8-bit fractions of 255.
        byte[] twoBytes = {0, 0, (byte) 0xff, 0x7f, (byte) 0xff, (byte) 0xff};
        assertEquals(List.of(100L, 600L, 1100L), MariaDbKeyStatistics.decodeHistogram("DOUBLE_PREC_HB", twoBytes, "100", "1100"));
        byte[] oneByte = {0, (byte) 51, (byte) 255};
        assertEquals(List.of(0L, 200L, 1000L), MariaDbKeyStatistics.decodeHistogram("SINGLE_PREC_HB", oneByte, "0", "1000"));
    }

    @Test
    void anythingElseGivesNoHints() {
        assertEquals(List.of(), MariaDbKeyStatistics.decodeHistogram(null, null, null, null));
        assertEquals(List.of(), MariaDbKeyStatistics.decodeHistogram("DOUBLE_PREC_HB", new byte[] {1, 2}, "a", "z"));
        assertEquals(List.of(), MariaDbKeyStatistics.decodeHistogram("OTHER", new byte[] {1}, "1", "2"));
    }
}
