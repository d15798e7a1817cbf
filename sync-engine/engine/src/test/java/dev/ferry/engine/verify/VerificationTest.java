package dev.ferry.engine.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.JobContext;
import dev.ferry.api.Source;
import dev.ferry.api.SourceReader;
import dev.ferry.api.Split;
import dev.ferry.api.Target;
import dev.ferry.api.TargetWriter;
import dev.ferry.api.WriterContext;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.RecordSink;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.verify.ReadBack;
import dev.ferry.api.verify.SupportsKeyOrder;
import dev.ferry.api.verify.SupportsReadBack;
import dev.ferry.api.verify.VerifyReport;
import dev.ferry.api.verify.VerifyReport.KeyDifference;
import dev.ferry.api.verify.VerifyReport.KeyOutcome;
import dev.ferry.api.verify.VerifyReport.Outcome;
import dev.ferry.engine.testing.RecordingContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The comparison itself, on in-memory tables: outcomes per split, the whole-table comparison when
 * the target cannot isolate splits, and the bounded naming of differing keys.
 */
class VerificationTest {

    private static final TableSchema SCHEMA = new TableSchema("t", List.of(
            new Column("id", DataType.INT64, false, 0, 0, ""), Column.of("name", DataType.STRING)), List.of("id"));
    private static final JobContext CONTEXT = new RecordingContext("verify-test", 2);

    private record Range(String id, long from, long to) implements Split {
    }

    private record File(String id) implements Split {
    }

    /** Rows id → name, read in reverse order unless a key order is asked for (hashing must not care). */
    private static SourceReader reader(TreeMap<Long, String> rows, long from, long to, boolean ordered) {
        List<Map.Entry<Long, String>> selected = new ArrayList<>(rows.subMap(from, to).entrySet());
        if (!ordered) {
            Collections.reverse(selected);
        }
        return new SourceReader() {
            @Override
            public void read(RecordSink sink) {
                for (Map.Entry<Long, String> row : selected) {
                    sink.setLong(0, row.getKey());
                    sink.setObject(1, row.getValue());
                    sink.emit();
                }
            }

            @Override
            public void close() {
            }
        };
    }

    private static final class RowsSource implements Source, SupportsKeyOrder {
        private final TreeMap<Long, String> rows;

        RowsSource(TreeMap<Long, String> rows) {
            this.rows = rows;
        }

        @Override
        public void prepare(JobContext context) {
        }

        @Override
        public TableSchema schema() {
            return SCHEMA;
        }

        @Override
        public List<? extends Split> planSplits(JobContext context) {
            return List.of();
        }

        @Override
        public SourceReader createReader(Split split) {
            return split instanceof Range r ? reader(rows, r.from, r.to, false) : reader(rows, 0, Long.MAX_VALUE, false);
        }

        @Override
        public String splitColumn() {
            return "id";
        }

        @Override
        public List<String> keyColumns() {
            return List.of("id");
        }

        @Override
        public SourceReader createOrderedReader(Split split) {
            Range r = (Range) split;
            return reader(rows, r.from, r.to, true);
        }

        @Override
        public void close() {
        }
    }

    private static final class RowsTarget implements Target, SupportsReadBack {
        private final TreeMap<Long, String> rows;

        RowsTarget(TreeMap<Long, String> rows) {
            this.rows = rows;
        }

        @Override
        public ReadBack openReadBack(JobContext context, TableSchema sourceSchema, String splitColumn,
                                     List<String> keyColumns) {
            return new ReadBack() {
                @Override
                public TableSchema schema() {
                    return SCHEMA;
                }

                @Override
                public boolean isolates(Split split) {
                    return split instanceof Range;
                }

                @Override
                public SourceReader createReader(Split split, boolean keyOrder) {
                    Range r = (Range) split;
                    return reader(rows, r.from, r.to, keyOrder);
                }

                @Override
                public SourceReader createWholeReader(boolean keyOrder) {
                    return reader(rows, 0, Long.MAX_VALUE, keyOrder);
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public void prepare(JobContext context, TableSchema sourceSchema) {
            throw new AssertionError("verification never prepares the target");
        }

        @Override
        public TargetWriter createWriter(WriterContext context) {
            throw new AssertionError("verification never writes");
        }

        @Override
        public void commit() {
        }

        @Override
        public void post() {
        }

        @Override
        public void abort() {
        }

        @Override
        public void close() {
        }
    }

    private static TreeMap<Long, String> rows(int n) {
        TreeMap<Long, String> rows = new TreeMap<>();
        for (long i = 0; i < n; i++) {
            rows.put(i, "row " + i);
        }
        return rows;
    }

    private static final List<Range> SPLITS = List.of(new Range("[0,100)", 0, 100), new Range("[100,200)", 100, 200),
            new Range("[200,300)", 200, 300), new Range("[300,*)", 300, Long.MAX_VALUE));

    private static VerifyReport verify(TreeMap<Long, String> source, TreeMap<Long, String> target,
                                       List<? extends Split> splits, int details) {
        return new Verification("verify-test", "rows", new RowsSource(source), new RowsTarget(target), splits, CONTEXT, 2,
                details).run();
    }

    @Test
    void equalTablesReadInAnyOrderMatch() {
        VerifyReport report = verify(rows(400), rows(400), SPLITS, 0);
        assertTrue(report.matches());
        assertEquals(List.of(100L, 100L, 100L, 100L), report.splits().stream().map(VerifyReport.SplitCheck::targetRows).toList());
        assertEquals("java", report.sourcePath());
    }

    @Test
    void eachSplitGetsItsOutcome() {
        TreeMap<Long, String> target = rows(400);
        target.put(150L, "changed");
        target.remove(250L);
        target.put(1000L, "added");
        VerifyReport report = verify(rows(400), target, SPLITS, 0);
        assertEquals(List.of(Outcome.EQUAL, Outcome.DIFFERENT, Outcome.MISSING_ROWS, Outcome.EXTRA_ROWS),
                report.splits().stream().map(VerifyReport.SplitCheck::outcome).toList());
        assertTrue(report.splits().stream().allMatch(c -> c.keys().isEmpty()), "keys only when asked");
        assertTrue(Verification.summary(report).contains("[100,200) different (source 100 rows, target 100)"),
                Verification.summary(report));
    }

    @Test
    void detailsNameTheDifferingKeysUpToTheLimitAndCountTheRest() {
        TreeMap<Long, String> target = rows(400);
        for (long id = 100; id < 110; id++) {
            target.put(id, "changed");
        }
        target.remove(250L);
        target.put(1000L, "added");
        VerifyReport report = verify(rows(400), target, SPLITS, 3);
        VerifyReport.SplitCheck changed = report.splits().get(1);
        assertEquals(List.of(new KeyDifference("100", KeyOutcome.DIFFERENT), new KeyDifference("101", KeyOutcome.DIFFERENT),
                new KeyDifference("102", KeyOutcome.DIFFERENT)), changed.keys());
        assertEquals(7, changed.moreKeys());
        assertEquals(List.of(new KeyDifference("250", KeyOutcome.MISSING)), report.splits().get(2).keys());
        assertEquals(List.of(new KeyDifference("1000", KeyOutcome.EXTRA)), report.splits().get(3).keys());
        assertEquals(List.of(), report.splits().get(0).keys());
    }

    @Test
    void splitsTheTargetCannotIsolateAreComparedTogetherWithTheWholeTarget() {
        List<File> files = List.of(new File("a.csv"));
        VerifyReport equal = verify(rows(50), rows(50), files, 5);
        assertTrue(equal.matches());
        assertEquals(Verification.WHOLE, equal.splits().get(0).split());
        TreeMap<Long, String> target = rows(50);
        target.put(7L, "changed");
        VerifyReport differs = verify(rows(50), target, files, 5);
        assertEquals(Outcome.DIFFERENT, differs.splits().get(0).outcome());
        assertTrue(differs.notes().contains("keys cannot be named when the splits are compared together"), differs.notes().toString());
    }

    @Test
    void aTargetThatCannotBeReadBackIsRefusedNamingTheConnector() {
        Target plain = new Target() {
            @Override
            public void prepare(JobContext context, TableSchema sourceSchema) {
            }

            @Override
            public TargetWriter createWriter(WriterContext context) {
                return null;
            }

            @Override
            public void commit() {
            }

            @Override
            public void post() {
            }

            @Override
            public void abort() {
            }

            @Override
            public void close() {
            }
        };
        ConfigException e = assertThrows(ConfigException.class, () -> new Verification("v", "blackhole",
                new RowsSource(rows(1)), plain, SPLITS, CONTEXT, 2, 0));
        assertEquals("target.connector cannot be verified: the target cannot be read back (it discards rows, or writes "
                + "files it does not read), got 'blackhole'", e.violations().get(0).message());
    }
}
