package dev.ferry.engine.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.state.StateStore;
import dev.ferry.engine.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * A sync task's durable records in a {@link StateStore} shared by every process of the task:
 * each committed version of its task file, the table list of its last successful run, and the
 * lease that makes one process its only runner.
 *
 * <p>Keys, under {@code task/NAME/}: {@code version} (the current version number),
 * {@code versions/NNNNNN} (each committed task file), {@code tables} (the last successful table
 * list, JSON) and {@code lease} (the runner holding the task and until when).
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
        while (true) {
            Optional<String> current = store.get(key(task, "lease"));
            Instant now = ticker.now();
            if (current.isPresent()) {
                Lease held = readLease(current.get());
                if (!held.holder().equals(holder) && held.expires().isAfter(now)) {
                    throw new SyncException(ErrorKind.CONFIGURATION, "task '" + task + "' is already run by " + held.holder()
                            + " (since " + held.since() + ", lease until " + held.expires() + "): one runner per task; stop "
                            + "it first (sync.jar task stop " + task + ") or wait for its lease to expire");
                }
            }
            Lease lease = new Lease(holder, now, now.plus(ttl));
            if (store.compareAndSet(key(task, "lease"), current.orElse(null), writeLease(lease))) {
                return lease;
            }
        }
    }

    /**
     * Extends the holder's lease by {@code ttl} from now.
     *
     * @throws SyncException when the holder lost the lease (it expired and another took it)
     */
    public Lease renew(String task, String holder, Duration ttl) {
        Optional<String> current = store.get(key(task, "lease"));
        Lease held = current.map(TaskStore::readLease).orElse(null);
        if (held == null || !held.holder().equals(holder)) {
            throw new SyncException(ErrorKind.EXTERNAL, "task '" + task + "': " + holder + " lost its lease"
                    + (held == null ? "" : " to " + held.holder()) + "; it must stop running the task");
        }
        Lease renewed = new Lease(holder, held.since(), ticker.now().plus(ttl));
        if (!store.compareAndSet(key(task, "lease"), current.get(), writeLease(renewed))) {
            return renew(task, holder, ttl);
        }
        return renewed;
    }

    /** Gives the lease up if {@code holder} holds it; idempotent. */
    public void release(String task, String holder) {
        store.get(key(task, "lease")).ifPresent(current -> {
            if (readLease(current).holder().equals(holder)) {
                store.compareAndSet(key(task, "lease"), current, null);
            }
        });
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

    /** For status views: every record of the task, by key. */
    public SortedMap<String, String> records(String task) {
        return store.list("task/" + task + "/");
    }
}
