package dev.ferry.api;

/**
 * A {@link Source} whose planned splits can be read again by a later instance of it, so a copy
 * interrupted by a crash or a stop resumes with the splits it had not finished instead of planning
 * and copying everything again. The engine keeps the planned splits (as the JSON of their records,
 * see {@link Split}) with {@link #splitDesign()}, and after a restart gives them to the new
 * instance's {@link Source#createReader} when its design is the same.
 *
 * <p>Rows written after planning must still be read by the same splits (open-ended first and last
 * ranges), since the data changes between the two instances.
 */
public interface SupportsSplitResume {

    /**
     * What this source's splits depend on besides the data, as text: the table, the split column,
     * a row filter. Splits planned under another design are planned again. Valid after
     * {@link Source#prepare}.
     */
    String splitDesign();
}
