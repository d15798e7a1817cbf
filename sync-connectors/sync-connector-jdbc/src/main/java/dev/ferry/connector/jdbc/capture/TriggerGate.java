package dev.ferry.connector.jdbc.capture;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Lets the installer stop a trigger of this JVM from writing and wait until no call of it is
 * running, before it drops the trigger.
 *
 * <p>H2 drops a trigger without locking its table: a statement that is calling the trigger at
 * that moment fails. A closed trigger returns at once, without running any SQL, so once its
 * running calls have ended, H2's exclusive mode can make sure no statement is in the middle of the
 * table's triggers (see {@link TriggerChange}). Triggers are known by database, schema and
 * name ({@link #key}).
 *
 * <p>Threading: safe for concurrent use; triggers call {@link #enter} from the writing sessions'
 * threads.
 */
final class TriggerGate {

    private static final Map<String, Gate> GATES = new ConcurrentHashMap<>();

    /** A call of a trigger let through the gate; closing it says the call has ended. */
    interface Pass extends AutoCloseable {
        @Override
        void close();
    }

    /** One trigger's gate: whether it is closed, and how many calls are inside. */
    private static final class Gate implements Pass {
        final AtomicInteger inside = new AtomicInteger();
        volatile boolean closed;

        @Override
        public void close() {
            inside.decrementAndGet();
        }
    }

    private TriggerGate() {
    }

    /**
     * @param database what tells the database apart from others in the JVM ({@link ChangeLog#databaseKey})
     */
    static String key(String database, String schema, String trigger) {
        return database + '\u0000' + schema + '\u0000' + trigger;
    }

    /**
     * A call of the trigger begins: its pass, to close when it ends, or null when the trigger is
     * closed (then the call must return without running any SQL).
     */
    static Pass enter(String key) {
        Gate gate = GATES.computeIfAbsent(key, k -> new Gate());
        gate.inside.incrementAndGet();
        if (gate.closed) {
            gate.close();
            return null;
        }
        return gate;
    }

    /** Closes the triggers and waits until no call is inside any of them; false when one still was at the deadline. */
    static boolean close(Collection<String> keys, long deadlineNanos) {
        for (String key : keys) {
            GATES.computeIfAbsent(key, k -> new Gate()).closed = true;
        }
        for (String key : keys) {
            while (GATES.get(key).inside.get() > 0) {
                if (System.nanoTime() > deadlineNanos) {
                    return false;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
        return true;
    }

    /** Opens closed triggers again (their drop did not happen). */
    static void reopen(Collection<String> keys) {
        for (String key : keys) {
            Gate gate = GATES.get(key);
            if (gate != null) {
                gate.closed = false;
            }
        }
    }

    /** Forgets dropped triggers. */
    static void forget(Collection<String> keys) {
        keys.forEach(GATES::remove);
    }
}
