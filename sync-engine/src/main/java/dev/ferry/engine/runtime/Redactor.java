package dev.ferry.engine.runtime;

import dev.ferry.api.config.Secret;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text bound for logs, reports and exceptions: every known secret value,
 * and any {@code password=…} parameter (JDBC URLs, driver messages), whoever wrote the text.
 *
 * <p>Threading: immutable; safe to share.
 */
public final class Redactor {

    private static final Pattern PASSWORD_PARAMETER =
            Pattern.compile("(?i)((?:password|passwd|pwd)\\s*[=:]\\s*)([^&;,\\s)\"']+)");

    public static final Redactor NONE = new Redactor(List.of());

    private final List<String> secrets;

    public Redactor(Collection<String> secretValues) {
        List<String> values = new ArrayList<>();
        for (String value : secretValues) {
            if (value != null && !value.isEmpty()) {
                values.add(value);
            }
        }
        values.sort(Comparator.comparingInt(String::length).reversed());
        this.secrets = List.copyOf(values);
    }

    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, Secret.MASK);
        }
        Matcher m = PASSWORD_PARAMETER.matcher(out);
        return m.find() ? m.replaceAll("$1" + Matcher.quoteReplacement(Secret.MASK)) : out;
    }
}
