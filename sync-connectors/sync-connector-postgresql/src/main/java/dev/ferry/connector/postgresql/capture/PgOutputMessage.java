package dev.ferry.connector.postgresql.capture;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The messages of PostgreSQL's {@code pgoutput} logical decoding plugin, protocol version 1, as
 * {@link PgOutputDecoder} decodes them from the payload of an XLogData message.
 *
 * <p>LSNs are 64-bit WAL positions; timestamps ({@code commitMicros}) are microseconds since
 * 1970-01-01T00:00Z (converted from PostgreSQL's 2000-01-01 epoch). Names are sent by pgoutput
 * without quoting; the namespace {@code pg_catalog}, which pgoutput sends as an empty string, is
 * decoded as {@code "pg_catalog"}.
 *
 * <p>Records holding arrays ({@link Truncate}, {@link LogicalMessage}) compare their contents in
 * {@code equals}; no record copies arrays it is given or hands out, so treat them as read-only.
 */
public sealed interface PgOutputMessage {

    /** The namespace pgoutput sends as an empty string. */
    String PG_CATALOG = "pg_catalog";

    /**
     * 'B': a transaction starts.
     *
     * @param finalLsn     the LSN of the transaction's commit record
     * @param commitMicros the commit time, microseconds since the UNIX epoch (UTC)
     * @param xid          the transaction id
     */
    record Begin(long finalLsn, long commitMicros, long xid) implements PgOutputMessage {
    }

    /**
     * 'C': a transaction ends.
     *
     * @param flags        unused by the server so far (0)
     * @param commitLsn    the LSN of the commit record
     * @param endLsn       the end of the commit record: the position to acknowledge once the
     *                     transaction is safely applied
     * @param commitMicros the commit time, microseconds since the UNIX epoch (UTC)
     */
    record Commit(int flags, long commitLsn, long endLsn, long commitMicros) implements PgOutputMessage {
    }

    /**
     * 'O': the transaction was replicated into this server from another origin.
     *
     * @param lsn  the commit LSN on the origin server
     * @param name the origin's name
     */
    record Origin(long lsn, String name) implements PgOutputMessage {
    }

    /**
     * 'R': the shape of a relation, sent before its first change in a session and again after it
     * changes. Later row messages refer to it by OID only.
     *
     * @param oid             the relation's OID
     * @param namespace       its schema
     * @param name            its name
     * @param replicaIdentity {@code 'd'} default (primary key), {@code 'n'} nothing, {@code 'f'}
     *                        full, {@code 'i'} index
     * @param columns         the published columns, in table order
     */
    record Relation(int oid, String namespace, String name, char replicaIdentity, List<RelationColumn> columns)
            implements PgOutputMessage {

        public Relation {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
            columns = List.copyOf(columns);
        }
    }

    /**
     * 'Y': names a type that is not built in (an enum, a domain, a composite or range type, an array
     * of such), sent before a {@link Relation} that uses it. For a domain, {@code oid} is the
     * domain's OID but {@code namespace} and {@code name} are those of its base type (what the
     * server sends).
     *
     * @param oid       the type's OID, as in {@link RelationColumn#typeOid()}
     * @param namespace the type's schema ({@code "pg_catalog"} for a domain over a built-in type)
     * @param name      the type's name ({@code "mood"}, {@code "_mood"} for its array type)
     */
    record TypeInfo(int oid, String namespace, String name) implements PgOutputMessage {

        public TypeInfo {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * 'I': a row was inserted.
     *
     * @param relationOid the relation, as announced by a {@link Relation}
     * @param newTuple    the row's values
     */
    record Insert(int relationOid, TupleData newTuple) implements PgOutputMessage {

        public Insert {
            Objects.requireNonNull(newTuple, "newTuple");
        }
    }

    /**
     * 'U': a row was updated.
     *
     * @param relationOid  the relation
     * @param oldTuple     the old values, or null when the server sent none (replica identity
     *                     default and the key did not change)
     * @param oldIsKeyOnly true when {@code oldTuple} holds only the replica identity columns
     *                     ({@code 'K'}: the key changed), false for a full old row ({@code 'O'},
     *                     {@code REPLICA IDENTITY FULL}); false when there is no old tuple. In a
     *                     key-only tuple the other columns are nulls.
     * @param newTuple     the new values; a TOASTed value that did not change is {@code 'u'}
     */
    record Update(int relationOid, TupleData oldTuple, boolean oldIsKeyOnly, TupleData newTuple)
            implements PgOutputMessage {

        public Update {
            Objects.requireNonNull(newTuple, "newTuple");
        }
    }

    /**
     * 'D': a row was deleted.
     *
     * @param relationOid  the relation
     * @param oldTuple     the replica identity columns ({@code 'K'}, other columns null) or the
     *                     whole old row ({@code 'O'})
     * @param oldIsKeyOnly true for {@code 'K'}, false for {@code 'O'}
     */
    record Delete(int relationOid, TupleData oldTuple, boolean oldIsKeyOnly) implements PgOutputMessage {

        public Delete {
            Objects.requireNonNull(oldTuple, "oldTuple");
        }
    }

    /**
     * 'T': relations were truncated.
     *
     * @param options      bit 1 {@code CASCADE}, bit 2 {@code RESTART IDENTITY}
     * @param relationOids the truncated relations
     */
    record Truncate(int options, int[] relationOids) implements PgOutputMessage {

        public static final int CASCADE = 1;
        public static final int RESTART_IDENTITY = 2;

        public Truncate {
            Objects.requireNonNull(relationOids, "relationOids");
        }

        public boolean cascade() {
            return (options & CASCADE) != 0;
        }

        public boolean restartIdentity() {
            return (options & RESTART_IDENTITY) != 0;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Truncate that && options == that.options
                    && Arrays.equals(relationOids, that.relationOids);
        }

        @Override
        public int hashCode() {
            return 31 * options + Arrays.hashCode(relationOids);
        }

        @Override
        public String toString() {
            return "Truncate[options=" + options + ", relationOids=" + Arrays.toString(relationOids) + "]";
        }
    }

    /**
     * 'M': a message written with {@code pg_logical_emit_message} (heartbeats, markers).
     *
     * @param transactional whether it was written inside a transaction (and comes between its
     *                      Begin and Commit) rather than on its own
     * @param lsn           the LSN of the message
     * @param prefix        the prefix given to {@code pg_logical_emit_message}
     * @param content       the message's bytes
     */
    record LogicalMessage(boolean transactional, long lsn, String prefix, byte[] content) implements PgOutputMessage {

        public LogicalMessage {
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(content, "content");
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof LogicalMessage that && transactional == that.transactional && lsn == that.lsn
                    && prefix.equals(that.prefix) && Arrays.equals(content, that.content);
        }

        @Override
        public int hashCode() {
            return Objects.hash(transactional, lsn, prefix) * 31 + Arrays.hashCode(content);
        }

        @Override
        public String toString() {
            return "LogicalMessage[transactional=" + transactional + ", lsn=" + lsn + ", prefix=" + prefix
                    + ", content=" + content.length + " bytes]";
        }
    }
}
