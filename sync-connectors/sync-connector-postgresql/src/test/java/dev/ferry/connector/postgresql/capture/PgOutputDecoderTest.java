package dev.ferry.connector.postgresql.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.connector.postgresql.capture.PgOutputMessage.Begin;
import dev.ferry.connector.postgresql.capture.PgOutputMessage.Commit;
import dev.ferry.connector.postgresql.capture.PgOutputMessage.Delete;
import dev.ferry.connector.postgresql.capture.PgOutputMessage.Insert;
import dev.ferry.connector.postgresql.capture.PgOutputMessage.LogicalMessage;
import dev.ferry.connector.postgresql.capture.PgOutputMessage.Origin;
import dev.ferry.connector.postgresql.capture.PgOutputMessage.Relation;
import dev.ferry.connector.postgresql.capture.PgOutputMessage.Truncate;
import dev.ferry.connector.postgresql.capture.PgOutputMessage.TypeInfo;
import dev.ferry.connector.postgresql.capture.PgOutputMessage.Update;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every protocol-v1 message and the malformed ones, from hand-built bytes. */
class PgOutputDecoderTest {

    /** 2024-02-29T13:45:07.123456Z in PostgreSQL's epoch (2000-01-01). */
    private static final long PG_MICROS = 762_529_507_123_456L;
    private static final long UNIX_MICROS = 1_709_214_307_123_456L;

    private static PgOutputMessage decode(MessageBytes message) {
        return PgOutputDecoder.decode(message.buffer());
    }

    @Test
    void commitTimesMoveFromThePostgresEpochToTheUnixEpoch() {
        assertEquals(UNIX_MICROS, Instant.parse("2024-02-29T13:45:07.123456Z").getEpochSecond() * 1_000_000 + 123_456);
        assertEquals(UNIX_MICROS - PG_MICROS, Instant.parse("2000-01-01T00:00:00Z").getEpochSecond() * 1_000_000);
    }

    @Test
    void begin() {
        PgOutputMessage message = decode(MessageBytes.type('B').i64(0x1_6B37_4D48L).i64(PG_MICROS).i32(0xFFFF_FFFE));
        assertEquals(new Begin(0x1_6B37_4D48L, UNIX_MICROS, 4_294_967_294L), message);
    }

    @Test
    void commit() {
        PgOutputMessage message = decode(MessageBytes.type('C').u8(0).i64(100).i64(180).i64(-1));
        assertEquals(new Commit(0, 100, 180, UNIX_MICROS - PG_MICROS - 1), message);
    }

    @Test
    void origin() {
        assertEquals(new Origin(77, "node_ä"), decode(MessageBytes.type('O').i64(77).string("node_ä")));
    }

    @Test
    void relationWithKeyColumnsAndTypeModifiers() {
        PgOutputMessage message = decode(MessageBytes.type('R').i32(16_390).string("public").string("orders")
                .u8('d').i16(3)
                .u8(1).string("id").i32(20).i32(-1)
                .u8(0).string("name").i32(1043).i32(14)
                .u8(0).string("größe").i32(1700).i32(655_366));
        assertEquals(new Relation(16_390, "public", "orders", 'd', List.of(
                new RelationColumn("id", true, 20, -1),
                new RelationColumn("name", false, 1043, 14),
                new RelationColumn("größe", false, 1700, 655_366))), message);
    }

    @Test
    void anEmptyNamespaceIsPgCatalog() {
        Relation relation = (Relation) decode(MessageBytes.type('R').i32(1).string("").string("t").u8('f').i16(0));
        assertEquals("pg_catalog", relation.namespace());
        assertEquals('f', relation.replicaIdentity());
        assertTrue(relation.columns().isEmpty());
        TypeInfo type = (TypeInfo) decode(MessageBytes.type('Y').i32(16_400).string("").string("int4"));
        assertEquals(new TypeInfo(16_400, "pg_catalog", "int4"), type);
    }

    @Test
    void typeInfo() {
        assertEquals(new TypeInfo(16_388, "app", "mood"), decode(MessageBytes.type('Y').i32(16_388).string("app").string("mood")));
    }

    @Test
    void insertWithEveryTupleKind() {
        Insert insert = (Insert) decode(MessageBytes.type('I').i32(16_390).u8('N').i16(5)
                .text("42").u8('n').u8('u').u8('b').i32(3).raw(new byte[] {0, (byte) 0xFF, 7}).text(""));
        assertEquals(16_390, insert.relationOid());
        TupleData tuple = insert.newTuple();
        assertEquals(5, tuple.size());
        assertEquals("tnubt", "" + tuple.kind(0) + tuple.kind(1) + tuple.kind(2) + tuple.kind(3) + tuple.kind(4));
        assertArrayEquals("42".getBytes(StandardCharsets.US_ASCII), tuple.bytes(0));
        assertEquals("42", tuple.text(0));
        assertNull(tuple.bytes(1));
        assertNull(tuple.bytes(2));
        assertTrue(tuple.isNull(1));
        assertTrue(tuple.isUnchanged(2));
        assertArrayEquals(new byte[] {0, (byte) 0xFF, 7}, tuple.bytes(3));
        assertNull(tuple.text(3));
        assertArrayEquals(new byte[0], tuple.bytes(4));
        assertEquals(0, tuple.length(4));
        assertEquals(3, tuple.length(3));
        assertEquals(7, tuple.data()[tuple.offset(3) + 2]);
        assertEquals(TupleData.of(new char[] {'t', 'n', 'u', 'b', 't'},
                new byte[][] {"42".getBytes(StandardCharsets.US_ASCII), null, null, {0, (byte) 0xFF, 7}, {}}), tuple);
    }

    @Test
    void insertOfARowWithoutColumns() {
        Insert insert = (Insert) decode(MessageBytes.type('I').i32(9).u8('N').i16(0));
        assertEquals(0, insert.newTuple().size());
    }

    @Test
    void updateWithoutOldTuple() {
        Update update = (Update) decode(MessageBytes.type('U').i32(9).u8('N').i16(2).text("1").u8('u'));
        assertNull(update.oldTuple());
        assertFalse(update.oldIsKeyOnly());
        assertEquals(TupleData.of(new char[] {'t', 'u'}, new byte[][] {{'1'}, null}), update.newTuple());
    }

    @Test
    void updateWithOldKey() {
        Update update = (Update) decode(MessageBytes.type('U').i32(9).u8('K').i16(2).text("1").u8('n')
                .u8('N').i16(2).text("2").text("x"));
        assertTrue(update.oldIsKeyOnly());
        assertEquals(TupleData.ofText("1", null), update.oldTuple());
        assertEquals(TupleData.ofText("2", "x"), update.newTuple());
    }

    @Test
    void updateWithOldRow() {
        Update update = (Update) decode(MessageBytes.type('U').i32(9).u8('O').i16(2).text("1").text("a")
                .u8('N').i16(2).text("1").text("b"));
        assertFalse(update.oldIsKeyOnly());
        assertEquals(TupleData.ofText("1", "a"), update.oldTuple());
        assertEquals(TupleData.ofText("1", "b"), update.newTuple());
    }

    @Test
    void deleteWithKeyOrOldRow() {
        Delete byKey = (Delete) decode(MessageBytes.type('D').i32(9).u8('K').i16(2).text("1").u8('n'));
        assertTrue(byKey.oldIsKeyOnly());
        assertEquals(TupleData.ofText("1", null), byKey.oldTuple());
        Delete byRow = (Delete) decode(MessageBytes.type('D').i32(9).u8('O').i16(2).text("1").text("a"));
        assertFalse(byRow.oldIsKeyOnly());
        assertEquals(TupleData.ofText("1", "a"), byRow.oldTuple());
    }

    @Test
    void truncate() {
        Truncate truncate = (Truncate) decode(MessageBytes.type('T').i32(3).u8(3).i32(10).i32(11).i32(-2));
        assertEquals(new Truncate(3, new int[] {10, 11, -2}), truncate);
        assertTrue(truncate.cascade());
        assertTrue(truncate.restartIdentity());
        Truncate plain = (Truncate) decode(MessageBytes.type('T').i32(1).u8(0).i32(10));
        assertFalse(plain.cascade());
        assertFalse(plain.restartIdentity());
    }

    @Test
    void logicalMessages() {
        LogicalMessage transactional = (LogicalMessage) decode(MessageBytes.type('M').u8(1).i64(500).string("ferry")
                .i32(4).raw(new byte[] {'h', 0, 'i', (byte) 0x80}));
        assertEquals(new LogicalMessage(true, 500, "ferry", new byte[] {'h', 0, 'i', (byte) 0x80}), transactional);
        LogicalMessage plain = (LogicalMessage) decode(MessageBytes.type('M').u8(0).i64(501).string("").i32(0));
        assertEquals(new LogicalMessage(false, 501, "", new byte[0]), plain);
    }

    @Test
    void readsFromThePositionToTheLimitOfAnyBuffer() {
        byte[] message = MessageBytes.type('O').i64(1).string("x").bytes();
        byte[] padded = new byte[message.length + 7];
        System.arraycopy(message, 0, padded, 3, message.length);
        ByteBuffer buffer = ByteBuffer.wrap(padded, 3, message.length);
        assertEquals(new Origin(1, "x"), PgOutputDecoder.decode(buffer));
        assertEquals(3 + message.length, buffer.position());

        ByteBuffer slice = ByteBuffer.wrap(padded).position(3).slice().limit(message.length);
        assertEquals(new Origin(1, "x"), PgOutputDecoder.decode(slice));

        ByteBuffer direct = ByteBuffer.allocateDirect(message.length).put(message).flip();
        assertEquals(new Origin(1, "x"), PgOutputDecoder.decode(direct));
        assertEquals(direct.limit(), direct.position());

        ByteBuffer littleEndian = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(new Origin(1, "x"), PgOutputDecoder.decode(littleEndian), "the protocol is big-endian whatever the buffer says");
    }

    @Test
    void valuesAreCopiedOutOfTheBuffer() {
        byte[] message = MessageBytes.type('I').i32(9).u8('N').i16(1).text("abc").bytes();
        Insert insert = (Insert) PgOutputDecoder.decode(message);
        java.util.Arrays.fill(message, (byte) 0);
        assertEquals("abc", insert.newTuple().text(0));
    }

    // ---------------------------------------------------------------- malformed

    private static PgOutputFormatException malformed(MessageBytes message) {
        return assertThrows(PgOutputFormatException.class, () -> decode(message));
    }

    private static void assertNames(PgOutputFormatException e, String type, int offset, String detail) {
        assertTrue(e.getMessage().contains(type), e.getMessage());
        assertTrue(e.getMessage().contains("at offset " + offset + ":"), e.getMessage());
        assertTrue(e.getMessage().contains(detail), e.getMessage());
        assertEquals(offset, e.offset());
    }

    @Test
    void unknownMessageTypes() {
        PgOutputFormatException stream = malformed(MessageBytes.type('S').i32(1).u8(1));
        assertNames(stream, "'S' (0x53)", 1, "unknown message type");
        assertEquals('S', stream.messageType());
        PgOutputFormatException binary = malformed(MessageBytes.type(0x01));
        assertNames(binary, "message 0x01", 1, "unknown message type");
    }

    @Test
    void anEmptyBuffer() {
        PgOutputFormatException e = assertThrows(PgOutputFormatException.class,
                () -> PgOutputDecoder.decode(ByteBuffer.allocate(0)));
        assertEquals(-1, e.messageType());
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void truncatedMessages() {
        assertNames(malformed(MessageBytes.type('B').i64(1).i32(2)), "'B'", 9, "truncated: an Int64 needs 8 bytes, 4 left");
        assertNames(malformed(MessageBytes.type('C').u8(0).i64(1).i64(2)), "'C'", 18, "truncated");
        assertNames(malformed(MessageBytes.type('R').i32(1).string("public").string("t").u8('d').i16(2)
                .u8(1).string("id").i32(20).i32(-1)), "'R'", 29, "truncated: a byte");
        assertNames(malformed(MessageBytes.type('I').i32(1)), "'I'", 5, "truncated");
        assertNames(malformed(MessageBytes.type('I').i32(1).u8('N').i16(2).text("1")), "'I'", 14, "truncated: a byte");
    }

    @Test
    void unterminatedStrings() {
        assertNames(malformed(MessageBytes.type('O').i64(1).raw("abc".getBytes(StandardCharsets.US_ASCII))), "'O'", 9,
                "not NUL-terminated");
        assertNames(malformed(MessageBytes.type('Y').i32(1).string("s").raw(new byte[] {'n'})), "'Y'", 7,
                "not NUL-terminated");
    }

    @Test
    void badTupleKindsAndLengths() {
        assertNames(malformed(MessageBytes.type('I').i32(1).u8('N').i16(2).text("1").u8('x')), "'I'", 14,
                "column 1 has tuple kind 'x'");
        assertNames(malformed(MessageBytes.type('I').i32(1).u8('N').i16(1).u8('t').i32(-5)), "'I'", 9,
                "column 0 has length -5");
        assertNames(malformed(MessageBytes.type('I').i32(1).u8('N').i16(1).u8('t').i32(10).raw(new byte[3])), "'I'", 9,
                "column 0 has length 10 but 3 bytes are left");
    }

    @Test
    void badMarkers() {
        assertNames(malformed(MessageBytes.type('I').i32(1).u8('K').i16(0)), "'I'", 5, "found 'K', expected 'N'");
        assertNames(malformed(MessageBytes.type('U').i32(1).u8('X').i16(0)), "'U'", 5, "tuple marker 'X', expected K, O or N");
        assertNames(malformed(MessageBytes.type('U').i32(1).u8('K').i16(0).u8('K').i16(0)), "'U'", 8,
                "tuple marker 'K', expected N");
        assertNames(malformed(MessageBytes.type('D').i32(1).u8('N').i16(0)), "'D'", 5, "expected K or O");
        assertNames(malformed(MessageBytes.type('R').i32(1).string("").string("t").u8('z').i16(0)), "'R'", 8,
                "replica identity 'z'");
    }

    @Test
    void countsAndLengthsBeyondTheMessage() {
        assertNames(malformed(MessageBytes.type('T').i32(1000).u8(0).i32(1)), "'T'", 6, "relation count 1000");
        assertNames(malformed(MessageBytes.type('T').i32(-1).u8(0)), "'T'", 6, "relation count -1");
        assertNames(malformed(MessageBytes.type('M').u8(0).i64(1).string("p").i32(9).raw(new byte[2])), "'M'", 12,
                "content length 9 but 2 bytes are left");
    }

    @Test
    void bytesAfterTheMessage() {
        assertNames(malformed(MessageBytes.type('O').i64(1).string("x").u8(0)), "'O'", 11, "1 bytes left after the message");
        assertNames(malformed(MessageBytes.type('I').i32(1).u8('N').i16(0).u8('N').i16(0)), "'I'", 8, "3 bytes left");
    }

    @Test
    void aFailedDecodeLeavesThePositionAlone() {
        ByteBuffer buffer = MessageBytes.type('B').i64(1).buffer();
        assertThrows(PgOutputFormatException.class, () -> PgOutputDecoder.decode(buffer));
        assertEquals(0, buffer.position());
    }
}
