package dev.ferry.api.error;

import java.util.List;

/**
 * A job or task description broke one or more rules; every violation found is listed, not just the
 * first, after what was described ({@code invalid job: …}, {@code invalid task: …}).
 */
public class ConfigException extends SyncException {

    private final List<Violation> violations;

    public ConfigException(List<Violation> violations) {
        this("job", violations);
    }

    /** @param subject what broke the rules, for the message: {@code job}, {@code task} */
    public ConfigException(String subject, List<Violation> violations) {
        super(ErrorKind.CONFIGURATION, render(subject, violations));
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

    private static String render(String subject, List<Violation> violations) {
        if (violations.isEmpty()) {
            return "invalid " + subject;
        }
        if (violations.size() == 1) {
            return "invalid " + subject + ": " + violations.get(0).message();
        }
        StringBuilder sb = new StringBuilder("invalid " + subject + " (" + violations.size() + " problems):");
        for (Violation v : violations) {
            sb.append("\n  - ").append(v.message());
        }
        return sb.toString();
    }
}
