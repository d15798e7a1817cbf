package dev.ferry.connector.file;

import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConfigType;
import java.util.List;

/**
 * The keys of the csv and jsonl connectors, each with its default in one place.
 *
 * <p>Threading: constants only.
 */
final class FileKeys {

    static final String DEFAULT_ENCODING = "UTF-8";
    static final boolean DEFAULT_HEADER = true;
    static final String DEFAULT_DELIMITER = ",";
    static final String DEFAULT_QUOTE = "\"";
    static final String DEFAULT_NULL_VALUE = "";

    static final ConfigKey SOURCE_PATH = ConfigKey.required("path", ConfigType.STRING_LIST,
            "Files to read: a file, a directory (its regular, non-hidden files, sorted), a glob such as "
                    + "'data/*.csv', or a list of these; relative to the working directory.");
    static final ConfigKey CSV_SOURCE_COLUMNS = ConfigKey.optional("columns", ConfigType.COLUMNS, null,
            "Columns to read and their types; matched by header name when header is true, by position "
                    + "otherwise. Default: every header column, as string.");
    static final ConfigKey JSONL_SOURCE_COLUMNS = ConfigKey.optional("columns", ConfigType.COLUMNS, null,
            "Columns to read and their types, matched by key. Default: the keys of the first line, typed "
                    + "from its values (boolean, int64, float64, string; json for objects and arrays; string for null).");
    static final ConfigKey TARGET_PATH = ConfigKey.required("path", ConfigType.STRING,
            "Where to write: a file, or a directory (existing, or ending with '/') to get one file per split.");
    static final ConfigKey ENCODING = ConfigKey.optional("encoding", ConfigType.STRING, DEFAULT_ENCODING,
            "Character encoding of the files.");
    static final ConfigKey HEADER = ConfigKey.optional("header", ConfigType.BOOLEAN, DEFAULT_HEADER,
            "Whether the first line of each file names the columns.");
    static final ConfigKey DELIMITER = ConfigKey.optional("delimiter", ConfigType.STRING, DEFAULT_DELIMITER,
            "The single character between fields.");
    static final ConfigKey QUOTE = ConfigKey.optional("quote", ConfigType.STRING, DEFAULT_QUOTE,
            "The single character that encloses fields holding delimiters, quotes or line breaks.");
    static final ConfigKey NULL_VALUE = ConfigKey.optional("nullValue", ConfigType.STRING, DEFAULT_NULL_VALUE,
            "The unquoted text that stands for null; a quoted field is never null.");

    static final List<ConfigKey> CSV_SOURCE = List.of(SOURCE_PATH, CSV_SOURCE_COLUMNS, HEADER, DELIMITER, QUOTE,
            NULL_VALUE, ENCODING);
    static final List<ConfigKey> JSONL_SOURCE = List.of(SOURCE_PATH, JSONL_SOURCE_COLUMNS, ENCODING);
    static final List<ConfigKey> CSV_TARGET = List.of(TARGET_PATH, HEADER, DELIMITER, QUOTE, NULL_VALUE, ENCODING);
    static final List<ConfigKey> JSONL_TARGET = List.of(TARGET_PATH, ENCODING);

    private FileKeys() {
    }
}
