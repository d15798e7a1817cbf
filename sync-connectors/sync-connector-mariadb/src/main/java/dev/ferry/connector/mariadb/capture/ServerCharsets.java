package dev.ferry.connector.mariadb.capture;

import java.nio.charset.Charset;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Decodes the bytes a binlog row event carries for a text column into the string a client
 * connected in utf8mb4 receives for the same value (the server converts from the column's charset).
 *
 * <p>The Unicode charsets decode with the JDK's decoders (stored values are always valid). Each
 * single-byte charset is a 256-entry table: the JDK charset of the same definition, corrected where
 * MariaDB's own table differs, as found byte by byte against MariaDB 10.11 (the integration test
 * checks every byte of every table). MariaDB's {@code latin1}, for one, is Windows-1252 in which the
 * five bytes Windows leaves undefined stand for the C1 control characters of the same value; and
 * bytes a charset does not define come out as {@code ?}.
 *
 * <p>Threading: immutable; safe to share.
 */
final class ServerCharsets {

    /** What the server makes of a byte the JDK charset does not define. */
    private enum Undefined {
        QUESTION_MARK, SAME_CODE_POINT, REPLACEMENT_CHARACTER
    }

    /** A single-byte charset: the JDK charset, the bytes MariaDB maps otherwise, and the rest. */
    private record SingleByte(String jdk, String overrides, Undefined undefined) {
    }

    private static final Map<String, String> UNICODE = Map.of(
            "utf8mb4", "UTF-8",
            "utf8mb3", "UTF-8",
            "utf8", "UTF-8",
            "ucs2", "UTF-16BE",
            "utf16", "UTF-16BE",
            "utf16le", "UTF-16LE",
            "utf32", "UTF-32BE");

    private static final Map<String, SingleByte> SINGLE_BYTE = Map.ofEntries(
            Map.entry("latin1", new SingleByte("windows-1252", "", Undefined.SAME_CODE_POINT)),
            Map.entry("ascii", new SingleByte("US-ASCII", "", Undefined.QUESTION_MARK)),
            Map.entry("latin2", new SingleByte("ISO-8859-2", "", Undefined.QUESTION_MARK)),
            Map.entry("latin5", new SingleByte("ISO-8859-9", "", Undefined.QUESTION_MARK)),
            Map.entry("latin7", new SingleByte("ISO-8859-13", "", Undefined.QUESTION_MARK)),
            Map.entry("greek", new SingleByte("ISO-8859-7", "A1:02BD A2:02BC A4:003F A5:003F AA:003F",
                    Undefined.QUESTION_MARK)),
            Map.entry("hebrew", new SingleByte("ISO-8859-8", "AF:203E", Undefined.QUESTION_MARK)),
            Map.entry("cp1250", new SingleByte("windows-1250", "", Undefined.QUESTION_MARK)),
            Map.entry("cp1251", new SingleByte("windows-1251", "", Undefined.QUESTION_MARK)),
            Map.entry("cp1256", new SingleByte("windows-1256", "8A:003F 8F:003F 98:003F 9A:003F 9F:003F AA:003F "
                    + "C0:003F FF:003F", Undefined.QUESTION_MARK)),
            Map.entry("cp1257", new SingleByte("windows-1257", "", Undefined.QUESTION_MARK)),
            Map.entry("koi8r", new SingleByte("KOI8-R", "", Undefined.QUESTION_MARK)),
            Map.entry("koi8u", new SingleByte("KOI8-U", "95:2022", Undefined.QUESTION_MARK)),
            Map.entry("cp866", new SingleByte("IBM866", "FC:207F FD:00B2", Undefined.QUESTION_MARK)),
            Map.entry("cp850", new SingleByte("IBM850", "", Undefined.QUESTION_MARK)),
            Map.entry("cp852", new SingleByte("IBM852", "", Undefined.QUESTION_MARK)),
            Map.entry("macroman", new SingleByte("x-MacRoman", "", Undefined.QUESTION_MARK)),
            Map.entry("macce", new SingleByte("x-MacCentralEurope", "", Undefined.QUESTION_MARK)),
            Map.entry("tis620", new SingleByte("TIS-620", c1Controls() + "A0:FFFD",
                    Undefined.REPLACEMENT_CHARACTER)));

    private ServerCharsets() {
    }

    /** The charsets {@link #decoder} accepts, for messages. */
    static String supported() {
        TreeSet<String> names = new TreeSet<>(UNICODE.keySet());
        names.addAll(SINGLE_BYTE.keySet());
        return String.join(", ", names);
    }

    /**
     * The decoder for a MariaDB/MySQL charset name ({@code CHARACTER_SET_NAME}), or null when the
     * charset is not one this class decodes exactly (or the JDK lacks it).
     */
    static Decoder decoder(String charsetName) {
        if (charsetName == null) {
            return null;
        }
        String name = charsetName.toLowerCase(Locale.ROOT);
        String unicode = UNICODE.get(name);
        if (unicode != null) {
            Charset charset = Charset.forName(unicode);
            return bytes -> new String(bytes, charset);
        }
        SingleByte single = SINGLE_BYTE.get(name);
        if (single == null || !Charset.isSupported(single.jdk())) {
            return null;
        }
        char[] table = table(single);
        return bytes -> {
            char[] chars = new char[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                chars[i] = table[bytes[i] & 0xFF];
            }
            return new String(chars);
        };
    }

    /** Bytes of one value to its text. */
    @FunctionalInterface
    interface Decoder {
        String decode(byte[] bytes);
    }

    /** Overrides mapping 0x80..0x9F to the C1 control characters U+0080..U+009F. */
    private static String c1Controls() {
        StringBuilder sb = new StringBuilder();
        for (int b = 0x80; b <= 0x9F; b++) {
            sb.append(Integer.toHexString(b).toUpperCase(Locale.ROOT)).append(":00")
                    .append(Integer.toHexString(b).toUpperCase(Locale.ROOT)).append(' ');
        }
        return sb.toString();
    }

    private static char[] table(SingleByte single) {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        char[] table = new String(all, Charset.forName(single.jdk())).toCharArray();
        for (int i = 0; i < 256; i++) {
            if (table[i] == '\uFFFD') {
                table[i] = switch (single.undefined()) {
                    case QUESTION_MARK -> '?';
                    case SAME_CODE_POINT -> (char) i;
                    case REPLACEMENT_CHARACTER -> '\uFFFD';
                };
            }
        }
        for (String override : single.overrides().split(" ")) {
            if (!override.isEmpty()) {
                table[Integer.parseInt(override.substring(0, 2), 16)] = (char) Integer.parseInt(override.substring(3), 16);
            }
        }
        return table;
    }
}
