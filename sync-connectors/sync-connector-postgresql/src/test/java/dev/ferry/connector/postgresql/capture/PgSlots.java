package dev.ferry.connector.postgresql.capture;

import dev.ferry.connector.jdbc.testing.TestDatabase;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Test clean-up: a stream's replication slot and publication go, whatever state the test left them in. */
final class PgSlots {

    private PgSlots() {
    }

    /** Ends the backend holding {@code slot}, drops the slot (retrying while it is released) and the publication. */
    static void drop(TestDatabase db, String slot, String publication) {
        db.execute("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = '" + slot
                + "' AND active_pid IS NOT NULL");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                db.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                        + slot + "'");
                break;
            } catch (IllegalStateException e) {
                // a terminated walsender can hold the slot for a moment
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
        db.execute("DROP PUBLICATION IF EXISTS " + publication);
    }
}
