package dev.ferry.engine.runtime;

import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;

/**
 * A named pool of concurrency slots shared by the jobs of one engine.
 *
 * <p>A job asks for as many slots as its configured concurrency and is granted what is free, at
 * least one; with none free it waits, first come first served, so a stream of small jobs cannot
 * starve an earlier one.
 *
 * <p>Threading: safe for concurrent use.
 */
public final class ResourceGroup {

    private final String name;
    private final int slots;
    private final ArrayDeque<Object> waiters = new ArrayDeque<>();
    private int held;

    public ResourceGroup(String name, int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("resource group '" + name + "' must have >= 1 slots, got " + slots);
        }
        this.name = name;
        this.slots = slots;
    }

    public String name() {
        return name;
    }

    public int slots() {
        return slots;
    }

    public synchronized int held() {
        return held;
    }

    /** Grants up to {@code wanted} slots without waiting, or 0 when none is free or others wait first. */
    public synchronized int tryAcquire(int wanted) {
        if (!waiters.isEmpty() || held >= slots) {
            return 0;
        }
        int granted = Math.min(wanted, slots - held);
        held += granted;
        return granted;
    }

    /**
     * Waits for at least one slot and grants up to {@code wanted}.
     *
     * @param cancelled checked whenever the caller wakes; when true the wait ends with 0 slots
     * @return the number of slots granted, or 0 when cancelled
     */
    public synchronized int acquire(int wanted, BooleanSupplier cancelled) throws InterruptedException {
        Object ticket = new Object();
        waiters.add(ticket);
        try {
            while (waiters.peek() != ticket || held >= slots) {
                if (cancelled.getAsBoolean()) {
                    return 0;
                }
                wait(1000);
            }
            if (cancelled.getAsBoolean()) {
                return 0;
            }
            int granted = Math.min(wanted, slots - held);
            held += granted;
            return granted;
        } finally {
            waiters.remove(ticket);
            notifyAll();
        }
    }

    /** Returns slots to the pool and wakes waiting jobs. */
    public synchronized void release(int count) {
        if (count < 0 || count > held) {
            throw new IllegalStateException("cannot release " + count + " of " + held + " held slots in group '" + name + "'");
        }
        held -= count;
        notifyAll();
    }

    /** Wakes waiters so they re-check cancellation. */
    public synchronized void wakeUp() {
        notifyAll();
    }
}
