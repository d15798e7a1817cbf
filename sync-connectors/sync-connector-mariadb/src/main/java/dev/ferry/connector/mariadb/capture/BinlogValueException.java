package dev.ferry.connector.mariadb.capture;

/**
 * A value from a binlog row event that has no Ferry representation (a zero date, a TIME beyond
 * 24 hours, an ENUM index the column does not define) or that arrived in a form the converter was
 * not set up for. The message names the table, the column and the value; a reader reports the row
 * as dirty with it.
 */
public final class BinlogValueException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String column;

    public BinlogValueException(String column, String message) {
        super(message);
        this.column = column;
    }

    /** The column's name. */
    public String column() {
        return column;
    }
}
