package dev.ferry.api.config;

/**
 * A secret such as a password. {@link #toString()} never reveals it, so a secret that ends up in
 * a log line, a report or an exception message prints as {@code ******}.
 *
 * @param value the secret text; call {@code value()} only where it is handed to a driver
 */
public record Secret(String value) {

    public static final String MASK = "******";

    public Secret {
        if (value == null) {
            value = "";
        }
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public String toString() {
        return MASK;
    }
}
