package dev.ferry.api.job;

import java.io.Serializable;

/**
 * A record that was not written, kept for the user.
 *
 * @param split   the id of the split it came from
 * @param attempt the split attempt that saw it (1 for the first)
 * @param side    {@code "read"} when the source could not convert it, {@code "write"} when the target refused it
 * @param reason  why, naming the column and rule where possible
 * @param record  the record's content: the source's raw text, or its values as a JSON object
 */
public record DirtyRecord(String split, int attempt, String side, String reason, String record) implements Serializable {
}
