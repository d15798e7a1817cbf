package dev.ferry.connector.mariadb.capture;

import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.LRUCache;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.DeleteRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer.CompatibilityMode;
import com.github.shyiko.mysql.binlog.event.deserialization.EventHeaderV4Deserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.NullEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.UpdateRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.WriteRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.EnumMap;
import java.util.Map;

/**
 * The binlog client's event deserializer set up for {@link BinlogColumnType}: text and binary
 * strings arrive as {@code byte[]} (decoded later with the column's charset), and the temporal
 * types are decoded here from their storage format into exact {@code java.time} values, because the
 * client's own conversion goes through a calendar that switches to the Julian calendar before
 * 15 October 1582 (so 1582-10-05..14 and 1582-10-15..24 come out the same), drops the sign of a
 * negative TIME, and turns zero dates into one marker value.
 *
 * <p>What row events carry for temporal columns with this deserializer:
 * <ul>
 *   <li>DATE: {@link LocalDate}; DATETIME: {@link LocalDateTime} (the wall clock, no zone);
 *       TIMESTAMP: {@link Instant}; TIME: {@link Duration} (may be negative or over 24 hours).</li>
 *   <li>A zero or otherwise impossible date ({@code 0000-00-00}, {@code 2024-02-00}, a zero
 *       TIMESTAMP): its text as a {@link String}, e.g. {@code "0000-00-00 00:00:00"}.</li>
 * </ul>
 * Events inside a MySQL compressed transaction payload are decoded by the client's own row
 * deserializers, with the compatibility modes set here: temporal values are then microseconds
 * ({@code DATE_AND_TIME_AS_LONG_MICRO}, {@link Long#MIN_VALUE} for zero dates), which
 * {@link BinlogColumnType} also accepts.
 */
final class BinlogDeserializers {

    private static final long DATETIMEF_INT_OFS = 0x8000000000L;
    private static final long TIMEF_INT_OFS = 0x800000L;
    private static final long TIMEF_OFS = 0x800000000000L;

    private BinlogDeserializers() {
    }

    @SuppressWarnings("rawtypes") // the client's constructor takes a map of raw deserializers
    static EventDeserializer create() {
        EventDeserializer defaults = new EventDeserializer();
        // The same bounded table-map cache as the client's default.
        Map<Long, TableMapEventData> tableMaps = new LRUCache<>(100, 0.75f, 10_000);
        Map<EventType, EventDataDeserializer> byType = new EnumMap<>(EventType.class);
        for (EventType type : EventType.values()) {
            EventDataDeserializer deserializer = defaults.getEventDataDeserializer(type);
            if (deserializer != null && !(deserializer instanceof NullEventDataDeserializer)) {
                byType.put(type, deserializer);
            }
        }
        byType.put(EventType.WRITE_ROWS, new WriteRows(tableMaps));
        byType.put(EventType.UPDATE_ROWS, new UpdateRows(tableMaps));
        byType.put(EventType.DELETE_ROWS, new DeleteRows(tableMaps));
        byType.put(EventType.EXT_WRITE_ROWS, new WriteRows(tableMaps).setMayContainExtraInformation(true));
        byType.put(EventType.EXT_UPDATE_ROWS, new UpdateRows(tableMaps).setMayContainExtraInformation(true));
        byType.put(EventType.EXT_DELETE_ROWS, new DeleteRows(tableMaps).setMayContainExtraInformation(true));
        EventDeserializer deserializer = new EventDeserializer(new EventHeaderV4Deserializer(),
                new NullEventDataDeserializer(), byType, tableMaps);
        deserializer.setCompatibilityMode(CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY,
                CompatibilityMode.DATE_AND_TIME_AS_LONG_MICRO, CompatibilityMode.INVALID_DATE_AND_TIME_AS_MIN_VALUE);
        return deserializer;
    }

    // ---------------------------------------------------------------- storage formats

    /** DATE: 3 bytes little-endian, day in bits 0-4, month in bits 5-8, year above. */
    static Serializable date(ByteArrayInputStream in) throws IOException {
        int value = in.readInteger(3);
        return date(value >>> 9, (value >>> 5) & 0x0F, value & 0x1F);
    }

    /** DATETIME2 (MySQL 5.6 format, MariaDB's default since 10.1): 5 bytes big-endian plus the fraction. */
    static Serializable datetime2(int decimals, ByteArrayInputStream in) throws IOException {
        long packed = bigEndian(in.read(5)) - DATETIMEF_INT_OFS;
        int micros = fraction(decimals, in);
        long yearMonthDay = packed >> 17;
        long yearMonth = yearMonthDay >> 5;
        long hms = packed & 0x1FFFF;
        return datetime((int) (yearMonth / 13), (int) (yearMonth % 13), (int) (yearMonthDay & 0x1F),
                (int) (hms >> 12), (int) ((hms >> 6) & 0x3F), (int) (hms & 0x3F), micros, decimals);
    }

    /** DATETIME (old format): 8 bytes little-endian holding the decimal number YYYYMMDDhhmmss. */
    static Serializable datetime(ByteArrayInputStream in) throws IOException {
        long value = in.readLong(8);
        long date = value / 1_000_000;
        long time = value % 1_000_000;
        return datetime((int) (date / 10_000), (int) (date / 100 % 100), (int) (date % 100),
                (int) (time / 10_000), (int) (time / 100 % 100), (int) (time % 100), 0, 0);
    }

    /** TIMESTAMP2: seconds since the epoch, 4 bytes big-endian, plus the fraction; zero is the zero date. */
    static Serializable timestamp2(int decimals, ByteArrayInputStream in) throws IOException {
        long seconds = bigEndian(in.read(4));
        int micros = fraction(decimals, in);
        return timestamp(seconds, micros, decimals);
    }

    /** TIMESTAMP (old format): seconds since the epoch, 4 bytes little-endian. */
    static Serializable timestamp(ByteArrayInputStream in) throws IOException {
        return timestamp(in.readLong(4), 0, 0);
    }

    /**
     * TIME2: a signed packed value (hours in 10 bits, minutes and seconds in 6 each, then 24 bits
     * of microseconds), stored with an offset; the fraction's sign follows the integer part's.
     */
    static Serializable time2(int decimals, ByteArrayInputStream in) throws IOException {
        long packed;
        switch (decimals) {
            case 0 -> packed = (bigEndian(in.read(3)) - TIMEF_INT_OFS) << 24;
            case 1, 2 -> {
                long integer = bigEndian(in.read(3)) - TIMEF_INT_OFS;
                int fraction = in.read() & 0xFF;
                if (integer < 0 && fraction != 0) {
                    integer++;
                    fraction -= 0x100;
                }
                packed = (integer << 24) + fraction * 10_000L;
            }
            case 3, 4 -> {
                long integer = bigEndian(in.read(3)) - TIMEF_INT_OFS;
                int fraction = (int) bigEndian(in.read(2));
                if (integer < 0 && fraction != 0) {
                    integer++;
                    fraction -= 0x10000;
                }
                packed = (integer << 24) + fraction * 100L;
            }
            case 5, 6 -> packed = bigEndian(in.read(6)) - TIMEF_OFS;
            default -> throw new IOException("TIME column with " + decimals + " fractional digits");
        }
        boolean negative = packed < 0;
        long magnitude = Math.abs(packed);
        long hms = magnitude >> 24;
        long micros = magnitude & 0xFFFFFF;
        long seconds = ((hms >> 12) & 0x3FF) * 3600 + ((hms >> 6) & 0x3F) * 60 + (hms & 0x3F);
        Duration duration = Duration.ofSeconds(seconds, micros * 1000);
        return negative ? duration.negated() : duration;
    }

    /** TIME (old format): 3 bytes little-endian, the signed decimal number hhmmss. */
    static Serializable time(ByteArrayInputStream in) throws IOException {
        int value = (in.readInteger(3) << 8) >> 8;
        int magnitude = Math.abs(value);
        Duration duration = Duration.ofSeconds(magnitude / 10_000 * 3600L + magnitude / 100 % 100 * 60L + magnitude % 100);
        return value < 0 ? duration.negated() : duration;
    }

    private static Serializable date(int year, int month, int day) {
        if (month != 0 && day != 0) {
            try {
                return LocalDate.of(year, month, day);
            } catch (DateTimeException e) {
                // not a date: its text below
            }
        }
        StringBuilder sb = new StringBuilder(10);
        pad(sb, year, 4).append('-');
        pad(sb, month, 2).append('-');
        return pad(sb, day, 2).toString();
    }

    private static Serializable datetime(int year, int month, int day, int hour, int minute, int second, int micros,
                                         int decimals) {
        if (month != 0 && day != 0) {
            try {
                return LocalDateTime.of(year, month, day, hour, minute, second, micros * 1000);
            } catch (DateTimeException e) {
                // not a date: its text below
            }
        }
        StringBuilder sb = new StringBuilder((String) date(year, month, day)).append(' ');
        pad(sb, hour, 2).append(':');
        pad(sb, minute, 2).append(':');
        pad(sb, second, 2);
        return fractionText(sb, micros, decimals).toString();
    }

    private static Serializable timestamp(long seconds, int micros, int decimals) {
        if (seconds == 0 && micros == 0) {
            return fractionText(new StringBuilder("0000-00-00 00:00:00"), 0, decimals).toString();
        }
        return Instant.ofEpochSecond(seconds, micros * 1000L);
    }

    /** The fractional seconds stored after DATETIME2/TIMESTAMP2, in microseconds. */
    private static int fraction(int decimals, ByteArrayInputStream in) throws IOException {
        return switch (decimals) {
            case 0 -> 0;
            case 1, 2 -> (in.read() & 0xFF) * 10_000;
            case 3, 4 -> (int) bigEndian(in.read(2)) * 100;
            case 5, 6 -> (int) bigEndian(in.read(3));
            default -> throw new IOException("temporal column with " + decimals + " fractional digits");
        };
    }

    private static long bigEndian(byte[] bytes) {
        long value = 0;
        for (byte b : bytes) {
            value = (value << 8) | (b & 0xFF);
        }
        return value;
    }

    private static StringBuilder pad(StringBuilder sb, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(digits);
    }

    private static StringBuilder fractionText(StringBuilder sb, int micros, int decimals) {
        if (decimals > 0) {
            sb.append('.');
            pad(sb, micros, 6).setLength(sb.length() - (6 - decimals));
        }
        return sb;
    }

    // ---------------------------------------------------------------- the row deserializers
    // The client's three row deserializers each extend its abstract base directly, so the same
    // seven overrides are written once per class; each only hands over to the decoders above.

    private static final class WriteRows extends WriteRowsEventDataDeserializer {
        WriteRows(Map<Long, TableMapEventData> tableMaps) {
            super(tableMaps);
        }

        @Override
        protected Serializable deserializeDate(ByteArrayInputStream in) throws IOException {
            return date(in);
        }

        @Override
        protected Serializable deserializeDatetime(ByteArrayInputStream in) throws IOException {
            return datetime(in);
        }

        @Override
        protected Serializable deserializeDatetimeV2(int meta, ByteArrayInputStream in) throws IOException {
            return datetime2(meta, in);
        }

        @Override
        protected Serializable deserializeTimestamp(ByteArrayInputStream in) throws IOException {
            return timestamp(in);
        }

        @Override
        protected Serializable deserializeTimestampV2(int meta, ByteArrayInputStream in) throws IOException {
            return timestamp2(meta, in);
        }

        @Override
        protected Serializable deserializeTime(ByteArrayInputStream in) throws IOException {
            return time(in);
        }

        @Override
        protected Serializable deserializeTimeV2(int meta, ByteArrayInputStream in) throws IOException {
            return time2(meta, in);
        }
    }

    private static final class UpdateRows extends UpdateRowsEventDataDeserializer {
        UpdateRows(Map<Long, TableMapEventData> tableMaps) {
            super(tableMaps);
        }

        @Override
        protected Serializable deserializeDate(ByteArrayInputStream in) throws IOException {
            return date(in);
        }

        @Override
        protected Serializable deserializeDatetime(ByteArrayInputStream in) throws IOException {
            return datetime(in);
        }

        @Override
        protected Serializable deserializeDatetimeV2(int meta, ByteArrayInputStream in) throws IOException {
            return datetime2(meta, in);
        }

        @Override
        protected Serializable deserializeTimestamp(ByteArrayInputStream in) throws IOException {
            return timestamp(in);
        }

        @Override
        protected Serializable deserializeTimestampV2(int meta, ByteArrayInputStream in) throws IOException {
            return timestamp2(meta, in);
        }

        @Override
        protected Serializable deserializeTime(ByteArrayInputStream in) throws IOException {
            return time(in);
        }

        @Override
        protected Serializable deserializeTimeV2(int meta, ByteArrayInputStream in) throws IOException {
            return time2(meta, in);
        }
    }

    private static final class DeleteRows extends DeleteRowsEventDataDeserializer {
        DeleteRows(Map<Long, TableMapEventData> tableMaps) {
            super(tableMaps);
        }

        @Override
        protected Serializable deserializeDate(ByteArrayInputStream in) throws IOException {
            return date(in);
        }

        @Override
        protected Serializable deserializeDatetime(ByteArrayInputStream in) throws IOException {
            return datetime(in);
        }

        @Override
        protected Serializable deserializeDatetimeV2(int meta, ByteArrayInputStream in) throws IOException {
            return datetime2(meta, in);
        }

        @Override
        protected Serializable deserializeTimestamp(ByteArrayInputStream in) throws IOException {
            return timestamp(in);
        }

        @Override
        protected Serializable deserializeTimestampV2(int meta, ByteArrayInputStream in) throws IOException {
            return timestamp2(meta, in);
        }

        @Override
        protected Serializable deserializeTime(ByteArrayInputStream in) throws IOException {
            return time(in);
        }

        @Override
        protected Serializable deserializeTimeV2(int meta, ByteArrayInputStream in) throws IOException {
            return time2(meta, in);
        }
    }
}
