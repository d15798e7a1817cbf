package dev.ferry.engine.verify;

import dev.ferry.api.JobContext;
import dev.ferry.api.Source;
import dev.ferry.api.SourceReader;
import dev.ferry.api.Split;
import dev.ferry.api.Target;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.CancelledException;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.error.Violation;
import dev.ferry.api.config.Redaction;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.state.StateStore;
import dev.ferry.engine.config.JobValidator.ValidatedJob;
import dev.ferry.api.verify.ColumnForm;
import dev.ferry.api.verify.ReadBack;
import dev.ferry.api.verify.SplitDigest;
import dev.ferry.api.verify.SupportsDigest;
import dev.ferry.api.verify.SupportsKeyOrder;
import dev.ferry.api.verify.SupportsReadBack;
import dev.ferry.api.verify.VerifyReport;
import dev.ferry.api.verify.VerifyReport.KeyDifference;
import dev.ferry.api.verify.VerifyReport.KeyOutcome;
import dev.ferry.api.verify.VerifyReport.Outcome;
import dev.ferry.api.verify.VerifyReport.SplitCheck;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares a prepared source with what its target holds, split by split, without writing anything.
 *
 * <p>Design: for every split of the source's plan, the source's rows and the target's rows of the
 * same key range are reduced to a {@link SplitDigest} each (row count and order-independent
 * checksum of the canonical form): inside the database when it offers {@link SupportsDigest} and
 * can compute the canonical form of every column, otherwise by hashing the rows while they stream
 * through a {@link DigestSink} (memory: one row per reader). Source and target are read at the same
 * time, each by {@code concurrency} threads. When the target cannot isolate a split's rows (the
 * source's splits are files), every split's source digest is summed and compared with the whole
 * target as one. With a detail limit, each split that differs is read again from both sides in key
 * order and merged to name the differing keys; only the first {@code detailLimit} keys per split are
 * kept, the others counted.
 *
 * <p>Threading: {@link #run} blocks the calling thread until done; {@link #cancel} from any thread.
 */
public final class Verification {

    private static final Logger LOG = LoggerFactory.getLogger(Verification.class);

    /** The id of the one comparison made when the target cannot isolate the source's splits. */
    public static final String WHOLE = "(all splits)";

    private final String name;
    private final Source source;
    private final List<? extends Split> splits;
    private final JobContext context;
    private final int concurrency;
    private final int detailLimit;
    private final SupportsReadBack target;
    private final Set<SourceReader> active = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sourceInDatabase = new AtomicInteger();
    private final AtomicInteger sourceInJava = new AtomicInteger();
    private final AtomicInteger targetInDatabase = new AtomicInteger();
    private final AtomicInteger targetInJava = new AtomicInteger();
    private volatile boolean cancelled;

    /**
     * @param targetConnector the target's connector name, for the refusal when it cannot be read back
     * @param source          prepared, its {@code splits} planned
     * @param target          created from configuration; only read back, never prepared here
     * @param detailLimit     differing keys to name per differing split; 0 for none
     * @throws ConfigException naming {@code target.connector} when the target cannot be read back
     */
    public Verification(String name, String targetConnector, Source source, Target target,
                        List<? extends Split> splits, JobContext context, int concurrency, int detailLimit) {
        SupportsReadBack readBack = readBack(targetConnector, target);
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
        }
        if (detailLimit < 0) {
            throw new IllegalArgumentException("detailLimit must be >= 0, got " + detailLimit);
        }
        this.name = name;
        this.source = source;
        this.splits = List.copyOf(splits);
        this.context = context;
        this.concurrency = concurrency;
        this.detailLimit = detailLimit;
        this.target = readBack;
    }

    /**
     * Verifies a job that already ran, on the calling thread: prepares its source (read-only), plans
     * the same splits as the copy, compares, and closes source and target.
     *
     * @throws ConfigException when the target cannot be read back, before anything is opened
     */
    public static VerifyReport verifyJob(ValidatedJob job, StateStore stateStore, int detailLimit) {
        JobSpec spec = job.spec();
        try (Source source = job.source(); Target target = job.target()) {
            readBack(spec.target().connector(), target);
            JobContext context = new StandaloneContext(spec.name(), spec.settings().concurrency(), stateStore,
                    job.redaction());
            source.prepare(context);
            List<? extends Split> splits = source.planSplits(context);
            LOG.info("Job '{}': verifying {} split(s) at concurrency {}", spec.name(), splits.size(),
                    spec.settings().concurrency());
            return new Verification(spec.name(), spec.target().connector(), source, target, splits, context,
                    spec.settings().concurrency(), detailLimit).run();
        }
    }

    private static SupportsReadBack readBack(String targetConnector, Target target) {
        if (!(target instanceof SupportsReadBack readBack)) {
            throw new ConfigException(new Violation("target.connector", "cannot be verified: the target cannot be "
                    + "read back (it discards rows, or writes files it does not read)", "'" + targetConnector + "'"));
        }
        return readBack;
    }

    /** The context of a verification run outside a job: warnings are logged. */
    private record StandaloneContext(String jobName, int concurrency, StateStore stateStore, Redaction redaction)
            implements JobContext {

        @Override
        public void warn(String message) {
            LOG.warn("Job '{}': {}", jobName, redaction.apply(message));
        }
    }

    /** Stops a running comparison; {@link #run} then throws a {@link CancelledException}. */
    public void cancel() {
        cancelled = true;
        for (SourceReader reader : active) {
            reader.cancel();
        }
    }

    /** Compares every split and returns what was found; throws when a side cannot be read. */
    public VerifyReport run() {
        long started = System.nanoTime();
        SupportsKeyOrder keyed = source instanceof SupportsKeyOrder k ? k : null;
        String splitColumn = keyed == null ? null : keyed.splitColumn();
        List<String> keyColumns = keyed == null ? List.of() : keyed.keyColumns();
        List<String> notes = new ArrayList<>();
        ExecutorService sourceThreads = Executors.newFixedThreadPool(concurrency, threads(name + "-verify-source"));
        ExecutorService targetThreads = Executors.newFixedThreadPool(concurrency, threads(name + "-verify-target"));
        try (ReadBack readBack = target.openReadBack(context, source.schema(), splitColumn, keyColumns)) {
            List<ColumnForm> forms = CanonicalRow.forms(source.schema(), readBack.schema());
            boolean whole = splits.stream().anyMatch(s -> !readBack.isolates(s));
            List<SplitCheck> checks = new ArrayList<>();
            if (whole) {
                notes.add("the target cannot isolate the rows of each source split, so all splits were compared "
                        + "with the whole target as one");
                List<CompletableFuture<SplitDigest>> parts = new ArrayList<>();
                for (Split split : splits) {
                    parts.add(async(() -> sourceDigest(split, forms), sourceThreads));
                }
                CompletableFuture<SplitDigest> targetWhole = async(() -> javaDigest(readBack.schema(), forms,
                        readBack.createWholeReader(false), targetInJava), targetThreads);
                SplitDigest sourceSum = SplitDigest.EMPTY;
                for (CompletableFuture<SplitDigest> part : parts) {
                    sourceSum = sourceSum.plus(join(part));
                }
                checks.add(check(WHOLE, sourceSum, join(targetWhole)));
                if (detailLimit > 0 && checks.get(0).outcome() != Outcome.EQUAL) {
                    notes.add("keys cannot be named when the splits are compared together");
                }
            } else {
                List<CompletableFuture<SplitDigest>> sources = new ArrayList<>();
                List<CompletableFuture<SplitDigest>> targets = new ArrayList<>();
                for (Split split : splits) {
                    sources.add(async(() -> sourceDigest(split, forms), sourceThreads));
                    targets.add(async(() -> targetDigest(readBack, split, forms), targetThreads));
                }
                for (int i = 0; i < splits.size(); i++) {
                    checks.add(check(splits.get(i).id(), join(sources.get(i)), join(targets.get(i))));
                }
                if (detailLimit > 0 && checks.stream().anyMatch(c -> c.outcome() != Outcome.EQUAL)) {
                    checks = details(checks, readBack, forms, keyed, keyColumns, sourceThreads, targetThreads, notes);
                }
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            VerifyReport report = new VerifyReport(checks, millis, path(sourceInDatabase, sourceInJava),
                    path(targetInDatabase, targetInJava), notes);
            LOG.info("Job '{}': verified {} split(s) in {} ms ({} rows at the source; hashing: source {}, target {}): {}",
                    name, checks.size(), millis, checks.stream().mapToLong(SplitCheck::sourceRows).sum(),
                    report.sourcePath(), report.targetPath(), report.matches() ? "equal"
                            : report.mismatches().size() + " split(s) differ");
            return report;
        } finally {
            sourceThreads.shutdownNow();
            targetThreads.shutdownNow();
        }
    }

    /** One line naming every split that differs, for a job's error. */
    public static String summary(VerifyReport report) {
        List<SplitCheck> bad = report.mismatches();
        StringBuilder sb = new StringBuilder("verification found ").append(bad.size()).append(" of ")
                .append(report.splits().size()).append(" split(s) differing from the source: ");
        for (int i = 0; i < bad.size(); i++) {
            SplitCheck c = bad.get(i);
            sb.append(i == 0 ? "" : ", ").append(c.split()).append(' ').append(c.outcome().name().toLowerCase(java.util.Locale.ROOT)
                    .replace('_', ' ')).append(" (source ").append(c.sourceRows()).append(" rows, target ")
                    .append(c.targetRows()).append(')');
        }
        return sb.toString();
    }

    private SplitDigest sourceDigest(Split split, List<ColumnForm> forms) {
        if (source instanceof SupportsDigest database) {
            Optional<SplitDigest> digest = database.digest(split, forms);
            if (digest.isPresent()) {
                sourceInDatabase.incrementAndGet();
                return digest.get();
            }
        }
        return javaDigest(source.schema(), forms, source.createReader(split), sourceInJava);
    }

    private SplitDigest targetDigest(ReadBack readBack, Split split, List<ColumnForm> forms) {
        if (readBack instanceof SupportsDigest database) {
            Optional<SplitDigest> digest = database.digest(split, forms);
            if (digest.isPresent()) {
                targetInDatabase.incrementAndGet();
                return digest.get();
            }
        }
        return javaDigest(readBack.schema(), forms, readBack.createReader(split, false), targetInJava);
    }

    private SplitDigest javaDigest(TableSchema schema, List<ColumnForm> forms, SourceReader reader, AtomicInteger path) {
        path.incrementAndGet();
        DigestSink sink = new DigestSink(schema, forms);
        read(reader, sink);
        return sink.digest();
    }

    private void read(SourceReader reader, DigestSink sink) {
        active.add(reader);
        try (reader) {
            if (cancelled) {
                throw new CancelledException("verification of job '" + name + "' was cancelled");
            }
            reader.read(sink);
        } finally {
            active.remove(reader);
        }
    }

    private static SplitCheck check(String split, SplitDigest source, SplitDigest target) {
        Outcome outcome = source.equals(target) ? Outcome.EQUAL
                : target.rows() < source.rows() ? Outcome.MISSING_ROWS
                : target.rows() > source.rows() ? Outcome.EXTRA_ROWS : Outcome.DIFFERENT;
        return new SplitCheck(split, outcome, source.rows(), target.rows(), List.of(), 0);
    }

    private List<SplitCheck> details(List<SplitCheck> checks, ReadBack readBack, List<ColumnForm> forms,
                                     SupportsKeyOrder keyed, List<String> keyColumns, ExecutorService sourceThreads,
                                     ExecutorService targetThreads, List<String> notes) {
        if (keyed == null || keyColumns.isEmpty()) {
            notes.add("keys cannot be named: the source has no integer key to read in order");
            return checks;
        }
        int[] keyIndexes = new int[keyColumns.size()];
        for (int i = 0; i < keyIndexes.length; i++) {
            keyIndexes[i] = source.schema().indexOf(keyColumns.get(i));
            if (keyIndexes[i] < 0) {
                throw new SyncException(ErrorKind.INTERNAL, "key column '" + keyColumns.get(i) + "' is not in the schema");
            }
            if (readBack.schema().column(keyIndexes[i]).type() != DataType.INT64) {
                notes.add("keys cannot be named: the target's column for key '" + keyColumns.get(i) + "' is "
                        + readBack.schema().column(keyIndexes[i]).type().typeName() + ", not an integer");
                return checks;
            }
        }
        List<SplitCheck> result = new ArrayList<>();
        for (int i = 0; i < checks.size(); i++) {
            SplitCheck check = checks.get(i);
            if (check.outcome() == Outcome.EQUAL) {
                result.add(check);
                continue;
            }
            Split split = splits.get(i);
            KeyMerge merge = new KeyMerge(detailLimit);
            CompletableFuture<Void> left = async(() -> keyedRead(source.schema(), forms, keyIndexes,
                    keyed.createOrderedReader(split), merge.source()), sourceThreads);
            CompletableFuture<Void> right = async(() -> keyedRead(readBack.schema(), forms, keyIndexes,
                    readBack.createReader(split, true), merge.target()), targetThreads);
            try {
                merge.run();
            } catch (RuntimeException e) {
                cancel();
                throw e;
            } finally {
                join(left);
                join(right);
            }
            result.add(new SplitCheck(check.split(), check.outcome(), check.sourceRows(), check.targetRows(),
                    merge.keys(), merge.more()));
        }
        return result;
    }

    private Void keyedRead(TableSchema schema, List<ColumnForm> forms, int[] keyIndexes, SourceReader reader,
                           KeyMerge.Side side) {
        try {
            read(reader, new DigestSink(schema, forms, keyIndexes, side::put));
            side.end(null);
        } catch (RuntimeException e) {
            side.end(e);
            throw e;
        }
        return null;
    }

    private static String path(AtomicInteger database, AtomicInteger java) {
        return database.get() == 0 ? "java" : java.get() == 0 ? "database" : "mixed";
    }

    private static <T> CompletableFuture<T> async(Supplier<T> work, ExecutorService threads) {
        return CompletableFuture.supplyAsync(work, threads);
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new SyncException(ErrorKind.INTERNAL, "verification failed: " + cause, cause);
        }
    }

    private static java.util.concurrent.ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Merges two sides' (key, hash) streams, both in ascending key order, through bounded queues:
     * a key only the source has is missing, one only the target has is extra, one whose hashes
     * differ is different.
     */
    static final class KeyMerge {

        private static final int QUEUE = 4096;
        private static final Entry END = new Entry(null, 0);

        private record Entry(long[] key, long hash) {
        }

        /** One side's producer end. */
        final class Side {
            private final BlockingQueue<Entry> queue = new ArrayBlockingQueue<>(QUEUE);
            private volatile RuntimeException failure;

            void put(long[] key, long hash) {
                offer(new Entry(key, hash));
            }

            void end(RuntimeException error) {
                failure = error;
                try {
                    offer(END);
                } catch (CancelledException abandonedMerge) {
                    // nobody reads this side any more
                }
            }

            /** Waits while the queue is full, unless the merge has given up. */
            private void offer(Entry entry) {
                try {
                    while (!queue.offer(entry, 100, TimeUnit.MILLISECONDS)) {
                        if (abandoned) {
                            throw new CancelledException("the merge of differing keys stopped");
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancelledException("interrupted while naming differing keys");
                }
            }

            Entry take() {
                try {
                    Entry entry = queue.take();
                    if (entry == END && failure != null) {
                        throw failure;
                    }
                    return entry;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CancelledException("interrupted while naming differing keys");
                }
            }
        }

        private final int limit;
        private final Side source = new Side();
        private final Side target = new Side();
        private final List<KeyDifference> keys = new ArrayList<>();
        private long more;
        private volatile boolean abandoned;

        KeyMerge(int limit) {
            this.limit = limit;
        }

        Side source() {
            return source;
        }

        Side target() {
            return target;
        }

        List<KeyDifference> keys() {
            return keys;
        }

        long more() {
            return more;
        }

        /** Merges until both sides ended; on a failure, the producers stop waiting for it. */
        void run() {
            try {
                merge();
            } catch (RuntimeException e) {
                abandoned = true;
                throw e;
            }
        }

        private void merge() {
            Entry s = source.take();
            Entry t = target.take();
            while (s != END || t != END) {
                int order = s == END ? 1 : t == END ? -1 : Arrays.compare(s.key, t.key);
                if (order < 0) {
                    found(s.key, KeyOutcome.MISSING);
                    s = source.take();
                } else if (order > 0) {
                    found(t.key, KeyOutcome.EXTRA);
                    t = target.take();
                } else {
                    if (s.hash != t.hash) {
                        found(s.key, KeyOutcome.DIFFERENT);
                    }
                    s = source.take();
                    t = target.take();
                }
            }
        }

        private void found(long[] key, KeyOutcome outcome) {
            if (keys.size() < limit) {
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < key.length; i++) {
                    text.append(i == 0 ? "" : ",").append(key[i]);
                }
                keys.add(new KeyDifference(text.toString(), outcome));
            } else {
                more++;
            }
        }
    }
}
