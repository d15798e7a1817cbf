package dev.ferry.api.error;

import java.util.List;

/** A job description broke one or more rules; every violation found is listed, not just the first. */
public class ConfigException extends SyncException {

    private final List<Violation> violations;

    public ConfigException(List<Violation> violations) {
        super(ErrorKind.CONFIGURATION, render(violations));
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one violation");
        }
        this.violations = List.copyOf(violations);
    }

    public ConfigException(Violation violation) {
        this(List.of(violation));
    }

    public List<Violation> violations() {
        return violations;
    }

    private static String render(List<Violation> violations) {
        if (violations.size() == 1) {
            return "invalid job: " + violations.get(0).message();
        }
        StringBuilder sb = new StringBuilder("invalid job (" + violations.size() + " problems):");
        for (Violation v : violations) {
            sb.append("\n  - ").append(v.message());
        }
        return sb.toString();
    }
}
