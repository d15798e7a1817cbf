package dev.ferry.engine.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Waits until a thread is parked inside a given method, so that a test acts on a thread that is
 * really blocked there rather than one that has not got there yet.
 *
 * <p>"Parked inside" means: the thread is WAITING or TIMED_WAITING, its stack holds a frame of
 * one of {@code owner}'s given methods, and above it a frame of {@code LockSupport.park*} from a condition or
 * latch wait (waiting to take a lock does not count). A thread that leaves or never reaches that state within the deadline fails the test,
 * with its state and stack in the message.
 */
public final class Parked {

    private static final long DEADLINE_SECONDS = 10;

    private Parked() {
    }

    /**
     * @param owner   the binary name of the class, e.g. {@code dev.ferry.engine.runtime.BatchQueue}
     * @param methods the methods the thread may be blocked in, e.g. {@code publish}
     */
    public static void awaitParkedIn(Thread thread, String owner, String... methods) {
        String where = owner + "." + String.join("|", methods);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        while (!isParkedIn(thread, owner, methods)) {
            if (thread.getState() == Thread.State.TERMINATED) {
                fail(thread.getName() + " ended without blocking in " + where);
            }
            if (System.nanoTime() - deadline > 0) {
                fail(thread.getName() + " did not block in " + where + " within " + DEADLINE_SECONDS
                        + " s; it is " + thread.getState() + " at\n" + stack(thread));
            }
            Thread.yield();
        }
    }

    /** Whether {@code thread} is parked with one of {@code owner.methods} on its stack. */
    public static boolean isParkedIn(Thread thread, String owner, String... methods) {
        Thread.State state = thread.getState();
        if (state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING) {
            return false;
        }
        boolean parked = false;
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getClassName().equals("java.util.concurrent.locks.LockSupport")
                    && frame.getMethodName().startsWith("park")) {
                parked = true;
            } else if (parked && frame.getMethodName().equals("lock") && frame.getClassName().startsWith("java.")) {
                // Waiting to take a lock is contention, not being blocked by the state behind it.
                return false;
            } else if (parked && frame.getClassName().equals(owner)
                    && Arrays.asList(methods).contains(frame.getMethodName())) {
                // The stack is read after the state: check the state again, the thread may have moved on.
                Thread.State now = thread.getState();
                return now == Thread.State.WAITING || now == Thread.State.TIMED_WAITING;
            }
        }
        return false;
    }

    private static String stack(Thread thread) {
        return Arrays.stream(thread.getStackTrace()).map(f -> "\tat " + f).collect(Collectors.joining("\n"));
    }
}
