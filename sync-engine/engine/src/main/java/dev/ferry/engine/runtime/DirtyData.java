package dev.ferry.engine.runtime;

import dev.ferry.api.config.Redaction;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ferry.api.error.DirtyDataLimitException;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.job.DirtyDataPolicy;
import dev.ferry.api.data.RowBatch;
import dev.ferry.api.job.DirtyRecord;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts, keeps and judges one job's dirty records: the first {@value #SAMPLES} go into the
 * report, all of them into the JSON-lines file when one is configured, and the policy's
 * {@code maxRecords} fails the job the moment the count exceeds it.
 *
 * <p>Threading: safe for concurrent use by every channel.
 */
public final class DirtyData implements AutoCloseable {

    /** How many dirty records a report keeps. */
    public static final int SAMPLES = 10;

    private final DirtyDataPolicy policy;
    private final Redaction redaction;
    private final AtomicLong count = new AtomicLong();
    private final List<DirtyRecord> samples = new ArrayList<>();
    private final JsonFactory json = new JsonFactory();
    private BufferedWriter file;
    private boolean fileFailed;

    public DirtyData(DirtyDataPolicy policy, Redaction redaction) {
        this.policy = policy;
        this.redaction = redaction;
    }

    /**
     * Records one dirty record.
     *
     * @throws DirtyDataLimitException when the count now exceeds {@code maxRecords}
     */
    public void add(DirtyRecord record) {
        DirtyRecord clean = new DirtyRecord(record.split(), record.attempt(), record.side(),
                redaction.apply(record.reason()), redaction.apply(record.record()));
        long n = count.incrementAndGet();
        synchronized (this) {
            if (samples.size() < SAMPLES) {
                samples.add(clean);
            }
            writeToFile(clean);
        }
        checkRecords(policy, n, clean.reason());
    }

    /**
     * Judges {@code count} dirty records against {@code maxRecords}: the one rule, for this store and
     * for a runner that counts a job's dirty records across processes.
     *
     * @param last the reason of the last dirty record, or null when it is not known here
     * @throws DirtyDataLimitException when the count exceeds it
     */
    public static void checkRecords(DirtyDataPolicy policy, long count, String last) {
        Long max = policy.maxRecords();
        if (max != null && count > max) {
            throw new DirtyDataLimitException("dirty records (" + count + ") exceed settings.dirtyData.maxRecords ("
                    + max + ")" + (last == null ? "" : "; last: " + last));
        }
    }

    /** Takes back the count of a failed split attempt that will be read again. */
    void retract(long records) {
        count.addAndGet(-records);
    }

    public long count() {
        return count.get();
    }

    public synchronized List<DirtyRecord> samples() {
        return List.copyOf(samples);
    }

    /**
     * Checks {@code maxPercent} once reading is over.
     *
     * @throws DirtyDataLimitException when dirty / read × 100 exceeds it
     */
    public void checkPercent(long recordsRead) {
        checkPercent(policy, count.get(), recordsRead);
    }

    /**
     * Judges {@code dirty} of {@code recordsRead} against {@code maxPercent}, once reading is over.
     *
     * @throws DirtyDataLimitException when dirty / read × 100 exceeds it
     */
    public static void checkPercent(DirtyDataPolicy policy, long dirty, long recordsRead) {
        Double max = policy.maxPercent();
        if (max == null || dirty == 0) {
            return;
        }
        double percent = recordsRead == 0 ? 100.0 : dirty * 100.0 / recordsRead;
        if (percent > max) {
            throw new DirtyDataLimitException(String.format(Locale.ROOT,
                    "dirty records (%d of %d read, %.2f%%) exceed settings.dirtyData.maxPercent (%s%%)",
                    dirty, recordsRead, percent, max));
        }
    }

    private void writeToFile(DirtyRecord record) {
        if (policy.file() == null || fileFailed) {
            return;
        }
        try {
            if (file == null) {
                Path path = Path.of(policy.file());
                if (path.getParent() != null) {
                    Files.createDirectories(path.getParent());
                }
                file = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
            }
            try (JsonGenerator g = json.createGenerator(file)) {
                g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                g.writeStartObject();
                g.writeStringField("split", record.split());
                g.writeNumberField("attempt", record.attempt());
                g.writeStringField("side", record.side());
                g.writeStringField("reason", record.reason());
                g.writeStringField("record", record.record());
                g.writeEndObject();
            }
            file.write('\n');
        } catch (IOException e) {
            fileFailed = true;
            throw new SyncException(ErrorKind.EXTERNAL, "cannot write settings.dirtyData.file '" + policy.file()
                    + "': " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                throw new SyncException(ErrorKind.EXTERNAL, "cannot close settings.dirtyData.file '" + policy.file()
                        + "': " + e.getMessage(), e);
            } finally {
                file = null;
            }
        }
    }

    private static final JsonFactory ROW_JSON = new JsonFactory();

    /** A row as one JSON object of column name to value, for the dirty-data file and report. */
    public static String render(RowBatch batch, int row) {
        java.io.StringWriter out = new java.io.StringWriter();
        try (JsonGenerator g = ROW_JSON.createGenerator(out)) {
            g.writeStartObject();
            for (int c = 0; c < batch.schema().arity(); c++) {
                g.writeFieldName(batch.schema().column(c).name());
                Object value = batch.getObject(row, c);
                if (value == null) {
                    g.writeNull();
                } else if (value instanceof Boolean b) {
                    g.writeBoolean(b);
                } else if (value instanceof Long l) {
                    g.writeNumber(l);
                } else if (value instanceof Double d) {
                    g.writeNumber(d);
                } else if (value instanceof java.math.BigDecimal d) {
                    g.writeNumber(d);
                } else if (value instanceof byte[] bytes) {
                    g.writeString(java.util.Base64.getEncoder().encodeToString(bytes));
                } else {
                    g.writeString(value.toString());
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            return "(unprintable row: " + e.getMessage() + ")";
        }
        return out.toString();
    }
}
