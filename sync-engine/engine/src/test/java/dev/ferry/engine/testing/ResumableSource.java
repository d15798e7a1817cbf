package dev.ferry.engine.testing;

import dev.ferry.api.Source;
import dev.ferry.api.SupportsSplitResume;

/** A source whose splits a later instance may read again, planned under {@code design}. */
public final class ResumableSource extends ForwardingSource implements SupportsSplitResume {

    private final String design;

    public ResumableSource(Source delegate, String design) {
        super(delegate);
        this.design = design;
    }

    @Override
    public String splitDesign() {
        return design;
    }
}
