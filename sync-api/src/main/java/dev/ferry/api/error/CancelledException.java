package dev.ferry.api.error;

/** Thrown inside readers and writers when their job or split was cancelled; let it propagate. */
public class CancelledException extends SyncException {

    public CancelledException(String message) {
        super(ErrorKind.CANCELLED, message);
    }
}
