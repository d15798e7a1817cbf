package dev.ferry.connector.mariadb.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BinlogPositionTest {

    @ParameterizedTest
    @ValueSource(strings = {"mariadb-bin.000003:4521", "mariadb-bin.000003:4521;gtid=0-1-77",
            "mysql-bin.1000000:4", "log.bin.000001:4;gtid=0-1-77,1-2-5,10-3-18446744073709551615",
            "a.0:9223372036854775807"})
    void textRoundTrips(String text) {
        BinlogPosition position = BinlogPosition.parse(text);
        assertEquals(text, position.asText());
        assertEquals(text, position.toString());
        assertEquals(position, BinlogPosition.parse(position.asText()));
    }

    @Test
    void partsAreParsed() {
        BinlogPosition position = BinlogPosition.parse("mariadb-bin.000003:4521;gtid=0-1-77");
        assertEquals("mariadb-bin.000003", position.file());
        assertEquals(4521, position.offset());
        assertEquals("0-1-77", position.gtidSet());
        assertEquals(3, position.sequence());
        assertEquals("mariadb", position.family());
        assertNull(BinlogPosition.parse("mariadb-bin.000003:4521").gtidSet());
    }

    @Test
    void anEmptyGtidPositionIsNone() {
        BinlogPosition position = new BinlogPosition("mariadb-bin.000001", 4, "");
        assertNull(position.gtidSet());
        assertEquals("mariadb-bin.000001:4", position.asText());
        assertEquals(position, BinlogPosition.parse(position.asText()));
    }

    @Test
    void positionsOrderByFileSequenceThenOffset() {
        BinlogPosition a = BinlogPosition.of("mariadb-bin.000009", 900_000);
        BinlogPosition b = BinlogPosition.of("mariadb-bin.000010", 4);
        BinlogPosition c = BinlogPosition.of("mariadb-bin.000010", 120);
        BinlogPosition d = BinlogPosition.of("mariadb-bin.1000000", 4);
        List<BinlogPosition> shuffled = new ArrayList<>(List.of(d, c, a, b));
        Collections.sort(shuffled);
        assertEquals(List.of(a, b, c, d), shuffled);
        assertTrue(a.compareTo(b) < 0, "file 9 before file 10, although '9' sorts after '1' as text");
        assertTrue(c.compareTo(b) > 0);
        assertEquals(0, b.compareTo(BinlogPosition.of("mariadb-bin.000010", 4)));
    }

    @Test
    void orderKeysSortAsPositionsDo() {
        List<BinlogPosition> ordered = List.of(BinlogPosition.of("mariadb-bin.000009", 900_000),
                BinlogPosition.of("mariadb-bin.000010", 4), BinlogPosition.of("mariadb-bin.000010", 120),
                BinlogPosition.of("mariadb-bin.1000000", 4));
        List<String> keys = new ArrayList<>(ordered.stream().map(BinlogPosition::orderKey).toList());
        Collections.shuffle(keys, new java.util.Random(7));
        Collections.sort(keys);
        assertEquals(ordered.stream().map(BinlogPosition::orderKey).toList(), keys);
        assertEquals(BinlogPosition.of("mariadb-bin.000010", 4).orderKey(),
                BinlogPosition.of("mariadb-bin.000010", 4).withGtidSet("0-1-5").orderKey());
    }

    @Test
    void compareToIsZeroOnlyForEqualPositions() {
        BinlogPosition plain = BinlogPosition.of("mariadb-bin.000002", 4);
        BinlogPosition withGtid = plain.withGtidSet("0-1-5");
        BinlogPosition otherBase = BinlogPosition.of("other-bin.000002", 4);
        assertTrue(plain.compareTo(withGtid) < 0);
        assertTrue(plain.compareTo(otherBase) != 0);
        assertEquals(Integer.signum(plain.compareTo(otherBase)), -Integer.signum(otherBase.compareTo(plain)));
    }

    @Test
    void isSerializable() throws Exception {
        BinlogPosition position = BinlogPosition.parse("mariadb-bin.000003:4521;gtid=0-1-77");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(position);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(position, in.readObject());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "mariadb-bin.000003", "mariadb-bin.000003:", ":4521", "mariadb-bin.000003:45x",
            "mariadb-bin.000003:-4", "mariadb-bin:4521", "mariadb-bin.000003:2", "mariadb-bin.000003:4521;gtid=",
            "mariadb-bin.000003:4521;gtid=0-1", "mariadb-bin.000003:4521;gtid=0-1-77,", "mariadb-bin.000003:4521;lsn=5",
            "maria db.000003:4521", "mariadb-bin.000003:99999999999999999999"})
    void badTextIsRejectedNamingTheValueAndTheExpectedForm(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BinlogPosition.parse(text));
        assertTrue(e.getMessage().startsWith("invalid binlog position '" + text + "' ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("e.g. mariadb-bin.000003:4521 or mariadb-bin.000003:4521;gtid=0-1-77"),
                e.getMessage());
    }

    @Test
    void missingTextIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BinlogPosition.parse(null));
        assertTrue(e.getMessage().contains("expected FILE:OFFSET"), e.getMessage());
    }

    @Test
    void theConstructorChecksItsParts() {
        assertThrows(NullPointerException.class, () -> BinlogPosition.of(null, 4));
        IllegalArgumentException offset = assertThrows(IllegalArgumentException.class,
                () -> BinlogPosition.of("mariadb-bin.000001", 3));
        assertEquals("binlog offset 3 in 'mariadb-bin.000001' is before the first event at 4", offset.getMessage());
        IllegalArgumentException gtid = assertThrows(IllegalArgumentException.class,
                () -> new BinlogPosition("mariadb-bin.000001", 4, "3E11FA47-71CA-11E1-9E33-C80AA9429562:23"));
        assertTrue(gtid.getMessage().startsWith("GTID position '3E11FA47"), gtid.getMessage());
    }
}
