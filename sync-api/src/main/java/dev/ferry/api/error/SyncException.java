package dev.ferry.api.error;

/**
 * The root of Ferry's unchecked exceptions. Its {@link #kind()} tells the engine and the user
 * whose problem it is. Messages never contain passwords.
 */
public class SyncException extends RuntimeException {

    private final ErrorKind kind;

    public SyncException(ErrorKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public SyncException(ErrorKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
    }

    /** Whether the engine may run the failed unit of work again. */
    public boolean isRetriable() {
        return false;
    }
}
