package dev.ferry.connector.postgresql.capture;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the messages of the {@code pgoutput} plugin, logical replication protocol version 1
 * ({@code proto_version '1'}): Begin, Commit, Origin, Relation, Type, Insert, Update, Delete,
 * Truncate and logical Message. Integers are big-endian, strings NUL-terminated UTF-8.
 *
 * <p>The input is one XLogData payload as pgjdbc's {@code PGReplicationStream.read()} returns it
 * (or one row of {@code pg_logical_slot_get_binary_changes}): the type byte at the buffer's
 * position, the message up to its limit. Every byte must belong to the message. Row values are
 * copied out of the buffer, so the buffer may be reused once {@link #decode} returns.
 *
 * <p>Threading: stateless; safe to call from any thread.
 */
public final class PgOutputDecoder {

    /** Microseconds from 1970-01-01 to PostgreSQL's epoch, 2000-01-01 (UTC). */
    static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

    private PgOutputDecoder() {
    }

    /**
     * Decodes the message from the buffer's position to its limit; on success the position is
     * left at the limit.
     *
     * @throws PgOutputFormatException for an unknown message type or a malformed message, naming
     *         the type byte and the offset from the message's first byte
     */
    public static PgOutputMessage decode(ByteBuffer buffer) {
        byte[] array;
        int start;
        int end;
        if (buffer.hasArray()) {
            array = buffer.array();
            start = buffer.arrayOffset() + buffer.position();
            end = buffer.arrayOffset() + buffer.limit();
        } else {
            array = new byte[buffer.remaining()];
            buffer.duplicate().get(array);
            start = 0;
            end = array.length;
        }
        PgOutputMessage message = decode(array, start, end);
        buffer.position(buffer.limit());
        return message;
    }

    /** Decodes the message in {@code bytes}. */
    public static PgOutputMessage decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    private static PgOutputMessage decode(byte[] array, int start, int end) {
        if (start >= end) {
            throw new PgOutputFormatException(-1, 0, "no bytes");
        }
        Reader in = new Reader(array, start, end);
        int type = in.u8();
        PgOutputMessage message = switch (type) {
            case 'B' -> new PgOutputMessage.Begin(in.i64(), micros(in.i64()), in.i32() & 0xFFFF_FFFFL);
            case 'C' -> new PgOutputMessage.Commit(in.u8(), in.i64(), in.i64(), micros(in.i64()));
            case 'O' -> new PgOutputMessage.Origin(in.i64(), in.string());
            case 'R' -> relation(in);
            case 'Y' -> new PgOutputMessage.TypeInfo(in.i32(), namespace(in.string()), in.string());
            case 'I' -> insert(in);
            case 'U' -> update(in);
            case 'D' -> delete(in);
            case 'T' -> truncate(in);
            case 'M' -> logicalMessage(in);
            default -> throw in.fail("unknown message type (protocol version 1 has B, C, O, R, Y, I, U, D, T, M)");
        };
        if (in.pos != end) {
            throw in.fail((end - in.pos) + " bytes left after the message");
        }
        return message;
    }

    private static long micros(long postgresMicros) {
        return postgresMicros + POSTGRES_EPOCH_MICROS;
    }

    private static String namespace(String sent) {
        return sent.isEmpty() ? PgOutputMessage.PG_CATALOG : sent;
    }

    private static PgOutputMessage relation(Reader in) {
        int oid = in.i32();
        String namespace = namespace(in.string());
        String name = in.string();
        char identity = (char) in.u8();
        if (identity != 'd' && identity != 'n' && identity != 'f' && identity != 'i') {
            in.pos--;
            throw in.fail("replica identity '" + printable(identity) + "', expected d, n, f or i");
        }
        int count = in.u16();
        List<RelationColumn> columns = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int flags = in.u8();
            columns.add(new RelationColumn(in.string(), (flags & 1) != 0, in.i32(), in.i32()));
        }
        return new PgOutputMessage.Relation(oid, namespace, name, identity, columns);
    }

    private static PgOutputMessage insert(Reader in) {
        int relation = in.i32();
        in.expect('N', "'N' before the new tuple");
        return new PgOutputMessage.Insert(relation, tuple(in));
    }

    private static PgOutputMessage update(Reader in) {
        int relation = in.i32();
        int marker = in.u8();
        TupleData old = null;
        boolean keyOnly = false;
        if (marker == 'K' || marker == 'O') {
            keyOnly = marker == 'K';
            old = tuple(in);
            marker = in.u8();
        }
        if (marker != 'N') {
            in.pos--;
            throw in.fail("tuple marker '" + printable(marker) + "', expected " + (old == null ? "K, O or N" : "N"));
        }
        return new PgOutputMessage.Update(relation, old, keyOnly, tuple(in));
    }

    private static PgOutputMessage delete(Reader in) {
        int relation = in.i32();
        int marker = in.u8();
        if (marker != 'K' && marker != 'O') {
            in.pos--;
            throw in.fail("tuple marker '" + printable(marker) + "', expected K or O");
        }
        return new PgOutputMessage.Delete(relation, tuple(in), marker == 'K');
    }

    private static PgOutputMessage truncate(Reader in) {
        int count = in.i32();
        int options = in.u8();
        if (count < 0 || (long) count * 4 > in.end - in.pos) {
            throw in.fail("relation count " + count + " does not fit the " + (in.end - in.pos) + " bytes left");
        }
        int[] oids = new int[count];
        for (int i = 0; i < count; i++) {
            oids[i] = in.i32();
        }
        return new PgOutputMessage.Truncate(options, oids);
    }

    private static PgOutputMessage logicalMessage(Reader in) {
        int flags = in.u8();
        long lsn = in.i64();
        String prefix = in.string();
        int length = in.i32();
        return new PgOutputMessage.LogicalMessage((flags & 1) != 0, lsn, prefix, in.bytes(length));
    }

    /** TupleData: Int16 column count, then per column a kind byte and, for 't' and 'b', Int32 length and bytes. */
    private static TupleData tuple(Reader in) {
        int count = in.u16();
        byte[] kinds = new byte[count];
        int[] offsets = new int[count + 1];
        // First pass: validate and measure, so that the values are copied into one exact array.
        int first = in.pos;
        int total = 0;
        for (int i = 0; i < count; i++) {
            int kind = in.u8();
            kinds[i] = (byte) kind;
            switch (kind) {
                case 'n', 'u' -> {
                }
                case 't', 'b' -> {
                    int length = in.i32();
                    if (length < 0 || length > in.end - in.pos) {
                        in.pos -= 4;
                        throw in.fail("column " + i + " has length " + length + " but " + (in.end - in.pos - 4)
                                + " bytes are left");
                    }
                    in.pos += length;
                    total += length;
                }
                default -> {
                    in.pos--;
                    throw in.fail("column " + i + " has tuple kind '" + printable(kind) + "', expected n, u, t or b");
                }
            }
            offsets[i + 1] = total;
        }
        byte[] data = new byte[total];
        int at = first;
        for (int i = 0; i < count; i++) {
            at++;
            if (kinds[i] == 't' || kinds[i] == 'b') {
                int length = offsets[i + 1] - offsets[i];
                System.arraycopy(in.array, at + 4, data, offsets[i], length);
                at += 4 + length;
            }
        }
        return new TupleData(kinds, offsets, data);
    }

    private static String printable(int c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02X", c);
    }

    /** Big-endian reads with bounds checks that report the message type and offset. */
    private static final class Reader {

        final byte[] array;
        final int start;
        final int end;
        int pos;

        Reader(byte[] array, int start, int end) {
            this.array = array;
            this.start = start;
            this.end = end;
            this.pos = start;
        }

        PgOutputFormatException fail(String problem) {
            return new PgOutputFormatException(array[start] & 0xFF, pos - start, problem);
        }

        private void need(int n, String what) {
            if (end - pos < n) {
                throw fail("truncated: " + what + " needs " + n + " bytes, " + (end - pos) + " left");
            }
        }

        int u8() {
            need(1, "a byte");
            return array[pos++] & 0xFF;
        }

        int u16() {
            need(2, "an Int16");
            int value = (array[pos] & 0xFF) << 8 | (array[pos + 1] & 0xFF);
            pos += 2;
            return value;
        }

        int i32() {
            need(4, "an Int32");
            int value = (array[pos] & 0xFF) << 24 | (array[pos + 1] & 0xFF) << 16 | (array[pos + 2] & 0xFF) << 8
                    | (array[pos + 3] & 0xFF);
            pos += 4;
            return value;
        }

        long i64() {
            need(8, "an Int64");
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = value << 8 | (array[pos + i] & 0xFF);
            }
            pos += 8;
            return value;
        }

        void expect(char marker, String what) {
            int at = pos;
            int value = u8();
            if (value != marker) {
                pos = at;
                throw fail("found '" + printable(value) + "', expected " + what);
            }
        }

        String string() {
            for (int i = pos; i < end; i++) {
                if (array[i] == 0) {
                    String value = new String(array, pos, i - pos, StandardCharsets.UTF_8);
                    pos = i + 1;
                    return value;
                }
            }
            throw fail("string is not NUL-terminated before the end of the message");
        }

        byte[] bytes(int length) {
            if (length < 0 || length > end - pos) {
                pos -= 4;
                throw fail("content length " + length + " but " + (end - pos - 4) + " bytes are left");
            }
            byte[] value = new byte[length];
            System.arraycopy(array, pos, value, 0, length);
            pos += length;
            return value;
        }
    }
}
