package dev.ferry.engine.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.state.StateStore;
import dev.ferry.api.task.MergeInstance;
import dev.ferry.engine.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A sync task's durable records in a {@link StateStore} shared by every process of the task:
 * each committed version of its task file, the table list of its last successful run, and the
 * lease that makes one process its only runner.
 *
 * <p>Keys, under {@code task/NAME/}: {@code version} (the current version number),
 * {@code versions/NNNNNN} (each committed task file), {@code tables} (the last successful table
 * list, JSON), {@code lease} (the runner holding the task and until when), {@code status} (the
 * runner's last status, JSON) and {@code request} (an operation asked of the runner by another
 * process, JSON).
 *
 * <p>Design: every change is one compare-and-set or one atomic multi-key write, so two processes
 * racing to commit a version or to take the lease cannot both win, and a crash at any point
 * leaves either the old or the new record. A lease has an expiry that its holder renews; a holder
 * killed with {@code kill -9} stops renewing, and once its lease expired another process may take
 * the task over.
 *
 * <p>Threading: safe for concurrent use, also across processes.
 */
public final class TaskStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StateStore store;
    private final Ticker ticker;

    public TaskStore(StateStore store, Ticker ticker) {
        this.store = Objects.requireNonNull(store, "store");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    private static String key(String task, String part) {
        return "task/" + task + "/" + part;
    }

    // ---------------------------------------------------------------- versions

    /** The current version number, or 0 when the task was never committed. */
    public int currentVersion(String task) {
        return store.get(key(task, "version")).map(Integer::parseInt).orElse(0);
    }

    /** The task file of {@code version}, as it was committed. */
    public Optional<String> version(String task, int version) {
        return store.get(key(task, "versions/" + String.format(java.util.Locale.ROOT, "%06d", version)));
    }

    /**
     * Commits a task file as the task's next version (the same text as the current version commits
     * nothing) and returns the version now current.
     */
    public int commit(String task, String taskFile) {
        while (true) {
            int current = currentVersion(task);
            if (current > 0 && version(task, current).map(taskFile::equals).orElse(false)) {
                return current;
            }
            int next = current + 1;
            String versionKey = key(task, "versions/" + String.format(java.util.Locale.ROOT, "%06d", next));
            if (!store.compareAndSet(versionKey, null, taskFile)) {
                continue;
            }
            if (store.compareAndSet(key(task, "version"), current == 0 ? null : Integer.toString(current),
                    Integer.toString(next))) {
                return next;
            }
            store.remove(versionKey);
        }
    }

    /** Every task with a committed version, sorted by name. */
    public List<String> tasks() {
        TreeSet<String> names = new TreeSet<>();
        for (String k : store.list("task/").keySet()) {
            int slash = k.indexOf('/', 5);
            if (slash > 5 && k.endsWith("/version") && k.indexOf('/', slash + 1) < 0) {
                names.add(k.substring(5, slash));
            }
        }
        return new ArrayList<>(names);
    }

    // ---------------------------------------------------------------- tables

    /** The tables of the last successful run (source names), empty before the first one. */
    public List<String> lastSuccessfulTables(String task) {
        return store.get(key(task, "tables")).map(TaskStore::stringList).orElse(List.of());
    }

    public void recordSuccessfulTables(String task, List<String> tables) {
        store.put(key(task, "tables"), JSON.valueToTree(tables).toString());
    }

    private static List<String> stringList(String json) {
        try {
            List<String> result = new ArrayList<>();
            JSON.readTree(json).forEach(node -> result.add(node.asText()));
            return result;
        } catch (JsonProcessingException e) {
            throw new SyncException(ErrorKind.INTERNAL, "a stored table list cannot be read: " + json, e);
        }
    }

    // ---------------------------------------------------------------- partitions

    /**
     * The Business Date on which the task's last Full Initialization (or Rerun) began: the partition
     * it wrote, on which the first Incremental Merge after it builds. Empty before the first.
     */
    public Optional<LocalDate> baseDate(String task) {
        return store.get(key(task, "partitions/base")).map(LocalDate::parse);
    }

    public void setBaseDate(String task, LocalDate date) {
        store.put(key(task, "partitions/base"), date.toString());
    }

    /**
     * The Business Date whose partitions the task's copies write while some are still to be made:
     * set when a Full Initialization (of the task, or of tables an Edit added) begins and kept
     * across restarts until every table is copied, so a copy resumed on a later day completes the
     * partition it began. Empty when no copy is pending.
     */
    public Optional<LocalDate> copyDate(String task) {
        return store.get(key(task, "partitions/copy")).map(LocalDate::parse);
    }

    public void setCopyDate(String task, LocalDate date) {
        store.put(key(task, "partitions/copy"), date.toString());
    }

    public void clearCopyDate(String task) {
        store.remove(key(task, "partitions/copy"));
    }

    /**
     * The Business Date of {@code table}'s last Full Initialization (its target name): the partition
     * its first merge builds on. Empty for a table copied with the task's own initialization (the
     * {@link #baseDate}) or by a task that recorded none.
     */
    public Optional<LocalDate> tableDate(String task, String table) {
        return store.get(key(task, "partitions/tables/" + table)).map(LocalDate::parse);
    }

    public void setTableDate(String task, String table, LocalDate date) {
        store.put(key(task, "partitions/tables/" + table), date.toString());
    }

    /** The task version whose copies last all completed, 0 when none did. */
    public int copiedVersion(String task) {
        return store.get(key(task, "partitions/copied-version")).map(Integer::parseInt).orElse(0);
    }

    public void setCopiedVersion(String task, int version) {
        store.put(key(task, "partitions/copied-version"), Integer.toString(version));
    }

    /** Forgets every table's date (a rerun copies every table again on its own date). */
    public void clearTableDates(String task) {
        store.list(key(task, "partitions/tables/")).keySet().forEach(store::remove);
    }

    // ---------------------------------------------------------------- the runner's lease

    /** Who holds a task and until when. */
    public record Lease(String holder, Instant since, Instant expires) {
    }

    /** The current lease, expired or not; empty when nobody ever held it or it was released. */
    public Optional<Lease> lease(String task) {
        return store.get(key(task, "lease")).map(TaskStore::readLease);
    }

    /**
     * Makes {@code holder} the task's one runner for {@code ttl}, taking over an expired lease.
     *
     * @throws SyncException naming the current holder when another holds an unexpired lease
     */
    public Lease acquire(String task, String holder, Duration ttl) {
        return take(key(task, "lease"), holder, ttl, held -> new SyncException(ErrorKind.CONFIGURATION, "task '" + task
                + "' is already run by " + held.holder() + " (since " + held.since() + ", lease until " + held.expires()
                + "): one runner per task; stop it first (sync.jar task stop " + task + ") or wait for its lease to expire"));
    }

    /** Takes the lease at {@code key} for {@code holder}, or throws what {@code refused} makes of another's live one. */
    private Lease take(String key, String holder, Duration ttl, Function<Lease, SyncException> refused) {
        while (true) {
            Optional<String> current = store.get(key);
            Instant now = ticker.now();
            if (current.isPresent()) {
                Lease held = readLease(current.get());
                if (!held.holder().equals(holder) && held.expires().isAfter(now) && !diedOnThisHost(held.holder())) {
                    throw refused.apply(held);
                }
            }
            Lease lease = new Lease(holder, now, now.plus(ttl));
            if (store.compareAndSet(key, current.orElse(null), writeLease(lease))) {
                return lease;
            }
        }
    }

    /**
     * A name for a runner in this process: {@code pid@host#id}. A lease whose holder is a process
     * of this host that no longer exists (killed with {@code kill -9}) is taken over at once rather
     * than when it expires.
     */
    public static String holderName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return ProcessHandle.current().pid() + "@" + host + "#" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    private static boolean diedOnThisHost(String holder) {
        int at = holder.indexOf('@');
        int hash = holder.indexOf('#', at + 1);
        if (at <= 0 || hash < 0) {
            return false;
        }
        String mine = holderName();
        if (!holder.substring(at, hash).equals(mine.substring(mine.indexOf('@'), mine.indexOf('#')))) {
            return false;
        }
        try {
            return ProcessHandle.of(Long.parseLong(holder.substring(0, at))).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Extends the holder's lease by {@code ttl} from now.
     *
     * @throws SyncException when the holder lost the lease (it expired and another took it)
     */
    public Lease renew(String task, String holder, Duration ttl) {
        return extend(key(task, "lease"), "task '" + task + "'", holder, ttl);
    }

    private Lease extend(String key, String what, String holder, Duration ttl) {
        while (true) {
            Optional<String> current = store.get(key);
            Lease held = current.map(TaskStore::readLease).orElse(null);
            if (held == null || !held.holder().equals(holder)) {
                throw new SyncException(ErrorKind.EXTERNAL, what + ": " + holder + " lost its lease"
                        + (held == null ? "" : " to " + held.holder()) + "; it must stop");
            }
            Lease renewed = new Lease(holder, held.since(), ticker.now().plus(ttl));
            if (store.compareAndSet(key, current.get(), writeLease(renewed))) {
                return renewed;
            }
        }
    }

    /** The lease when a runner holds it now: unexpired, and its process alive if it ran on this host. */
    public Optional<Lease> liveLease(String task) {
        Instant now = ticker.now();
        return lease(task).filter(l -> l.expires().isAfter(now) && !diedOnThisHost(l.holder()));
    }

    /** Gives the lease up if {@code holder} holds it; idempotent. */
    public void release(String task, String holder) {
        giveUp(key(task, "lease"), holder);
    }

    private void giveUp(String key, String holder) {
        store.get(key).ifPresent(current -> {
            if (readLease(current).holder().equals(holder)) {
                store.compareAndSet(key, current, null);
            }
        });
    }

    // ---------------------------------------------------------------- one data-writing operation per date

    /**
     * Reserves the task's Business Date {@code date} for one data-writing operation (a merge, a
     * backfill, a rerun), across processes, for {@code ttl}; renew it with {@link #renewDate}.
     *
     * @param holder who writes, and what: {@code pid@host#id merge}
     * @throws SyncException naming the operation that holds the date
     */
    public Lease lockDate(String task, LocalDate date, String holder, Duration ttl) {
        return take(key(task, "dates/" + date), holder, ttl, held -> dateTaken(task, date, held));
    }

    /**
     * Refuses an operation on {@code date} while another holds it.
     *
     * @throws SyncException naming the operation that holds the date, as {@link #lockDate} does
     */
    public void requireDateFree(String task, LocalDate date) {
        Optional<Lease> held = dateHolder(task, date);
        if (held.isPresent()) {
            throw dateTaken(task, date, held.get());
        }
    }

    private static SyncException dateTaken(String task, LocalDate date, Lease held) {
        return new SyncException(ErrorKind.CONFIGURATION, "Business Date " + date + " of task '" + task
                + "' is being written by " + held.holder() + " (since " + held.since() + "): one merge, backfill or "
                + "rerun per date at a time; wait for it to end (--wait)");
    }

    /** Who holds {@code date} now, if anyone. */
    public Optional<Lease> dateHolder(String task, LocalDate date) {
        Instant now = ticker.now();
        return store.get(key(task, "dates/" + date)).map(TaskStore::readLease)
                .filter(l -> l.expires().isAfter(now) && !diedOnThisHost(l.holder()));
    }

    public Lease renewDate(String task, LocalDate date, String holder, Duration ttl) {
        return extend(key(task, "dates/" + date), "Business Date " + date + " of task '" + task + "'", holder, ttl);
    }

    public void unlockDate(String task, LocalDate date, String holder) {
        giveUp(key(task, "dates/" + date), holder);
    }

    // ---------------------------------------------------------------- merges

    /** Records (or updates) the merge of one date. */
    public void saveMerge(String task, MergeInstance merge) {
        store.put(key(task, "merges/" + merge.date()), TaskStatusJson.instance(merge).toString());
    }

    /**
     * Records (or updates) the Full Data Backfill of one date, in a merge instance's form: its
     * status, times, rows written and error.
     */
    public void saveBackfill(String task, MergeInstance backfill) {
        store.put(key(task, "backfills/" + backfill.date()), TaskStatusJson.instance(backfill).toString());
    }

    /** The last Full Data Backfill of {@code date}, if one ran. */
    public Optional<MergeInstance> backfill(String task, LocalDate date) {
        return store.get(key(task, "backfills/" + date)).map(TaskStore::readMerge);
    }

    /** The merge of {@code date}, if one ran. */
    public Optional<MergeInstance> merge(String task, LocalDate date) {
        return store.get(key(task, "merges/" + date)).map(TaskStore::readMerge);
    }

    /** The latest {@code limit} merges, latest date first. */
    public List<MergeInstance> merges(String task, int limit) {
        List<MergeInstance> all = new ArrayList<>();
        store.list(key(task, "merges/")).values().forEach(json -> all.add(readMerge(json)));
        all.sort(java.util.Comparator.comparing(MergeInstance::date).reversed());
        return List.copyOf(all.subList(0, Math.min(limit, all.size())));
    }

    private static MergeInstance readMerge(String json) {
        try {
            return TaskStatusJson.instance(JSON.readTree(json));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new SyncException(ErrorKind.INTERNAL, "a stored merge cannot be read: " + json, e);
        }
    }

    private static String writeLease(Lease lease) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("holder", lease.holder());
        fields.put("since", lease.since().toString());
        fields.put("expires", lease.expires().toString());
        return JSON.valueToTree(fields).toString();
    }

    private static Lease readLease(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            return new Lease(node.get("holder").asText(), Instant.parse(node.get("since").asText()),
                    Instant.parse(node.get("expires").asText()));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new SyncException(ErrorKind.INTERNAL, "a stored task lease cannot be read: " + json, e);
        }
    }

    // ---------------------------------------------------------------- status

    /** Saves the runner's view of the task, in {@link TaskStatusJson}'s form. */
    public void saveStatus(String task, String statusJson) {
        store.put(key(task, "status"), statusJson);
    }

    /** The last saved status, empty before the task's first start. */
    public Optional<String> status(String task) {
        return store.get(key(task, "status"));
    }

    // ---------------------------------------------------------------- history

    /** The store's clock. */
    public Instant now() {
        return ticker.now();
    }

    /** Appends a finished run to the task's history ({@code runs/NNNNNN}). */
    public void recordRun(String task, dev.ferry.api.task.TaskRunRecord run) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("version", run.version());
        fields.put("runner", run.runner());
        fields.put("started", run.started().toString());
        fields.put("ended", run.ended().toString());
        fields.put("status", run.status().name());
        fields.put("error", run.error());
        String json = JSON.valueToTree(fields).toString();
        for (int n = store.list(key(task, "runs/")).size() + 1; ; n++) {
            if (store.compareAndSet(key(task, "runs/" + String.format(java.util.Locale.ROOT, "%06d", n)), null, json)) {
                return;
            }
        }
    }

    /** The task's runs, oldest first. */
    public List<dev.ferry.api.task.TaskRunRecord> runs(String task) {
        List<dev.ferry.api.task.TaskRunRecord> runs = new ArrayList<>();
        for (String json : store.list(key(task, "runs/")).values()) {
            try {
                JsonNode node = JSON.readTree(json);
                runs.add(new dev.ferry.api.task.TaskRunRecord(node.get("version").asInt(), node.get("runner").asText(),
                        Instant.parse(node.get("started").asText()), Instant.parse(node.get("ended").asText()),
                        dev.ferry.api.task.TaskState.valueOf(node.get("status").asText()),
                        node.hasNonNull("error") ? node.get("error").asText() : null));
            } catch (JsonProcessingException | RuntimeException e) {
                throw new SyncException(ErrorKind.INTERNAL, "a stored task run cannot be read: " + json, e);
            }
        }
        return runs;
    }

    // ---------------------------------------------------------------- requests to the runner

    /** What one process asks of the runner of a task: {@code stop}, {@code edit} or {@code rerun}. */
    public record Request(String id, String operation, Instant requested, Instant accepted) {

        boolean isAccepted() {
            return accepted != null;
        }
    }

    /**
     * Asks the task's runner for {@code operation}, replacing a request it has already accepted.
     *
     * @throws SyncException when another request is still waiting for the runner
     */
    public Request request(String task, String operation) {
        while (true) {
            Optional<String> current = store.get(key(task, "request"));
            if (current.isPresent()) {
                Request pending = readRequest(current.get());
                if (!pending.isAccepted()) {
                    throw new SyncException(ErrorKind.CONFIGURATION, "task '" + task + "' has a " + pending.operation()
                            + " request since " + pending.requested() + " that its runner has not accepted yet; try again "
                            + "once it has");
                }
            }
            Request request = new Request(java.util.UUID.randomUUID().toString(), operation, ticker.now(), null);
            if (store.compareAndSet(key(task, "request"), current.orElse(null), writeRequest(request))) {
                return request;
            }
        }
    }

    /** The latest request, accepted or not. */
    public Optional<Request> latestRequest(String task) {
        return store.get(key(task, "request")).map(TaskStore::readRequest);
    }

    /** The runner takes a waiting request on; empty when none waits (or another runner took it). */
    public Optional<Request> accept(String task) {
        Optional<String> current = store.get(key(task, "request"));
        if (current.isEmpty()) {
            return Optional.empty();
        }
        Request pending = readRequest(current.get());
        if (pending.isAccepted()) {
            return Optional.empty();
        }
        Request accepted = new Request(pending.id(), pending.operation(), pending.requested(), ticker.now());
        return store.compareAndSet(key(task, "request"), current.get(), writeRequest(accepted))
                ? Optional.of(accepted) : Optional.empty();
    }

    /** Drops a request nobody accepted (its runner stopped meanwhile), if it is still {@code id}. */
    public void withdraw(String task, String id) {
        store.get(key(task, "request")).ifPresent(current -> {
            if (readRequest(current).id().equals(id)) {
                store.compareAndSet(key(task, "request"), current, null);
            }
        });
    }

    private static String writeRequest(Request request) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", request.id());
        fields.put("operation", request.operation());
        fields.put("requested", request.requested().toString());
        if (request.accepted() != null) {
            fields.put("accepted", request.accepted().toString());
        }
        return JSON.valueToTree(fields).toString();
    }

    private static Request readRequest(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            JsonNode accepted = node.get("accepted");
            return new Request(node.get("id").asText(), node.get("operation").asText(),
                    Instant.parse(node.get("requested").asText()), accepted == null ? null : Instant.parse(accepted.asText()));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new SyncException(ErrorKind.INTERNAL, "a stored task request cannot be read: " + json, e);
        }
    }

    /** For status views: every record of the task, by key. */
    public SortedMap<String, String> records(String task) {
        return store.list("task/" + task + "/");
    }
}
