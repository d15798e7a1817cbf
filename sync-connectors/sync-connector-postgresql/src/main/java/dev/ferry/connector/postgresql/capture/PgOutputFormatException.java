package dev.ferry.connector.postgresql.capture;

/**
 * A pgoutput message that cannot be decoded: an unknown message type (a protocol version or plugin
 * this decoder does not speak) or a malformed body (truncated, a bad length, an unterminated
 * string, an unknown tuple kind, bytes left over).
 *
 * <p>The message names the message type byte and the offset, counted from the message's first
 * byte, where decoding stopped.
 */
public final class PgOutputFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int messageType;
    private final int offset;

    PgOutputFormatException(int messageType, int offset, String problem) {
        super(describe(messageType) + " at offset " + offset + ": " + problem);
        this.messageType = messageType;
        this.offset = offset;
    }

    /** The message's type byte (0..255), or -1 when the buffer was empty. */
    public int messageType() {
        return messageType;
    }

    /** Where decoding stopped, from the message's first byte. */
    public int offset() {
        return offset;
    }

    static String describe(int type) {
        if (type < 0) {
            return "pgoutput message (empty)";
        }
        String hex = String.format("0x%02X", type);
        return type >= 0x20 && type < 0x7f ? "pgoutput message '" + (char) type + "' (" + hex + ")"
                : "pgoutput message " + hex;
    }
}
