package dev.ferry.connector.postgresql.capture;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Builds pgoutput messages byte by byte, big-endian, for decoder tests. */
final class MessageBytes {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static MessageBytes type(int type) {
        return new MessageBytes().u8(type);
    }

    MessageBytes u8(int value) {
        out.write(value);
        return this;
    }

    MessageBytes i16(int value) {
        return u8(value >>> 8).u8(value & 0xFF);
    }

    MessageBytes i32(int value) {
        return i16(value >>> 16).i16(value & 0xFFFF);
    }

    MessageBytes i64(long value) {
        return i32((int) (value >>> 32)).i32((int) value);
    }

    MessageBytes string(String value) {
        return raw(value.getBytes(StandardCharsets.UTF_8)).u8(0);
    }

    MessageBytes raw(byte[] bytes) {
        out.write(bytes, 0, bytes.length);
        return this;
    }

    /** A tuple column of kind 't' with its length. */
    MessageBytes text(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return u8('t').i32(bytes.length).raw(bytes);
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes());
    }
}
