/**
 * Change capture from PostgreSQL's {@code pgoutput} logical decoding plugin (protocol version 1).
 *
 * <p>{@link dev.ferry.connector.postgresql.capture.PgOutputDecoder} turns each XLogData payload
 * into a {@link dev.ferry.connector.postgresql.capture.PgOutputMessage}. A reader keeps the last
 * {@code Relation} per relation OID and the {@code TypeInfo} per type OID it has seen, builds the
 * columns with {@link dev.ferry.connector.postgresql.capture.PgColumnType#of(
 * dev.ferry.connector.postgresql.capture.PgOutputMessage.Relation, java.util.function.IntFunction)}
 * (rebuilding them when a Relation message arrives again), and moves each row's values into a
 * {@link dev.ferry.api.data.RecordSink} with
 * {@link dev.ferry.connector.postgresql.capture.PgColumnType#set(dev.ferry.api.data.RecordSink, int,
 * dev.ferry.connector.postgresql.capture.TupleData, int)}; an unchanged TOAST value ({@code 'u'})
 * has to come from the reader's own copy of the row. Columns and values are those the batch
 * source reads from the same table, so a snapshot and the changes after it agree.
 *
 * <p>Expectations of the session that produces the changes, all met by a pgjdbc replication
 * connection: {@code proto_version '1'} without the {@code binary} option, client encoding UTF-8,
 * ISO {@code DateStyle}, {@code extra_float_digits} above 0 (shortest exact floats); the
 * {@code TimeZone} may be any.
 */
package dev.ferry.connector.postgresql.capture;
