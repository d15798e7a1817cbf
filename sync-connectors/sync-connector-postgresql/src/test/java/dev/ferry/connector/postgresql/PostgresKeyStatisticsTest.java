package dev.ferry.connector.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class PostgresKeyStatisticsTest {

    @Test
    void histogramBoundsAreReadFromTheArraysText() {
        assertEquals(List.of(-5L, 1L, 9_000_000_000L), PostgresKeyStatistics.parseBounds("{-5,1,9000000000}"));
        assertEquals(List.of(), PostgresKeyStatistics.parseBounds(null));
        assertEquals(List.of(), PostgresKeyStatistics.parseBounds("{}"));
        assertEquals(List.of(), PostgresKeyStatistics.parseBounds("{a,b}"));
        assertEquals(List.of(), PostgresKeyStatistics.parseBounds("1,2"));
    }

    @Test
    void theSampleGrowsWithTheSplitsWantedNotTheTable() {
        assertEquals(PostgresKeyStatistics.MIN_BLOCKS, PostgresKeyStatistics.blocks(2));
        assertEquals(64L * 100, PostgresKeyStatistics.blocks(100));
        assertEquals(PostgresKeyStatistics.MAX_BLOCKS, PostgresKeyStatistics.blocks(10_000));
    }

    @Test
    void blocksHoldingMoreKeysThanKeptSendOnlyAShareOfThem() {
        assertEquals(1_000_000, PostgresKeyStatistics.keptPerMillion(0));
        assertEquals(1_000_000, PostgresKeyStatistics.keptPerMillion(PostgresKeyStatistics.MAX_KEYS));
        assertEquals(100_000, PostgresKeyStatistics.keptPerMillion(PostgresKeyStatistics.MAX_KEYS * 10.0));
        assertEquals(1, PostgresKeyStatistics.keptPerMillion(1e18));
    }
}
