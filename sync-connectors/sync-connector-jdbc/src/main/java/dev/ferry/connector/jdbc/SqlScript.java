package dev.ferry.connector.jdbc;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text into statements at semicolons that are not inside a string, a quoted
 * identifier, a PostgreSQL dollar-quoted body or a comment, so that {@code preSql},
 * {@code postSql} and {@code querySql} may hold several statements in one string.
 *
 * <p>Threading: stateless.
 */
public final class SqlScript {

    private SqlScript() {
    }

    /** Every statement of every text, trimmed, in order; empty statements are dropped. */
    public static List<String> statements(List<String> texts, boolean backslashEscapes) {
        List<String> result = new ArrayList<>();
        if (texts == null) {
            return result;
        }
        for (String text : texts) {
            result.addAll(split(text, backslashEscapes));
        }
        return result;
    }

    /**
     * The statements of one text.
     *
     * @param backslashEscapes whether a backslash escapes the next character inside quoted strings
     *                         (MariaDB and MySQL by default)
     */
    public static List<String> split(String text, boolean backslashEscapes) {
        List<String> result = new ArrayList<>();
        if (text == null) {
            return result;
        }
        int n = text.length();
        int start = 0;
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = skipQuoted(text, i, c, backslashEscapes && c != '`');
            } else if (c == '-' && i + 1 < n && text.charAt(i + 1) == '-') {
                int eol = text.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int end = text.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '$') {
                i = skipDollarQuoted(text, i);
            } else if (c == ';') {
                add(result, text.substring(start, i));
                start = ++i;
            } else {
                i++;
            }
        }
        add(result, text.substring(start));
        return result;
    }

    private static void add(List<String> result, String statement) {
        String trimmed = statement.strip();
        if (!trimmed.isEmpty() && !isOnlyComments(trimmed)) {
            result.add(trimmed);
        }
    }

    private static boolean isOnlyComments(String s) {
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (s.startsWith("--", i)) {
                int eol = s.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else {
                return false;
            }
        }
        return true;
    }

    private static int skipQuoted(String text, int open, char quote, boolean backslashEscapes) {
        int i = open + 1;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < n && text.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return n;
    }

    /** {@code $tag$ … $tag$}; a lone dollar (a parameter such as {@code $1}) is skipped. */
    private static int skipDollarQuoted(String text, int open) {
        int n = text.length();
        int j = open + 1;
        while (j < n && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_')) {
            j++;
        }
        if (j >= n || text.charAt(j) != '$' || (j > open + 1 && Character.isDigit(text.charAt(open + 1)))) {
            return open + 1;
        }
        String tag = text.substring(open, j + 1);
        int end = text.indexOf(tag, j + 1);
        return end < 0 ? n : end + tag.length();
    }
}
