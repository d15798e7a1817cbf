/**
 * Change capture for H2, which has no log Ferry can read: triggers write every change of the
 * captured tables into a change table in the same transaction, and a reader polls that table.
 * It costs each write an extra insert and serialises writing transactions, and it needs the
 * trigger classes on the class path of whatever opens the database: it is meant for an embedded
 * database in the application that runs Ferry (the demo's whole-database sync with no servers).
 *
 * <h2>Design note: commit order from a clock row</h2>
 * H2 numbers identity values when a row is inserted, not when it commits, so a reader polling for
 * numbers above the last one it saw would miss a transaction that took a smaller number and
 * committed later. Here every change takes its number from a one-row clock table
 * ({@link dev.ferry.connector.jdbc.capture.ChangeLog}) by updating that row, and the row lock
 * the update takes is held until the writing transaction ends: while one transaction has a
 * numbered, uncommitted change, every other writer of a captured table waits. Numbers therefore
 * follow commit order, the committed changes are always exactly those numbered {@code 1..n}
 * (a rollback returns its numbers with its changes), and each transaction's changes are
 * consecutive. A statement trigger ({@link dev.ferry.connector.jdbc.capture.ClockLockTrigger})
 * takes the same lock before a statement locks any row, so the clock adds no deadlock between
 * transactions that write only captured tables.
 *
 * <h2>The guarantee</h2>
 * <ul>
 *   <li>Every transaction that commits a change to a captured table after the table's triggers
 *       exist is delivered once, whole, after every transaction that committed before it, with
 *       its changes in the order they were made; a transaction writing several tables is one
 *       commit.</li>
 *   <li>A snapshot (the plan's, or one for tables joining a running stream) reads the clock as
 *       the first statement of a {@code SNAPSHOT}-isolation transaction and copies the tables in
 *       that transaction, so it holds exactly the transactions numbered up to its position: the
 *       copy and the stream after it meet without a gap or an overlap.</li>
 *   <li>Changes a transaction made before a table's triggers existed are not captured; planning
 *       waits until every transaction that was writing a new table when its triggers were
 *       created has ended, so they are in the snapshot taken after.</li>
 *   <li>Changes stay in the change table until the engine acknowledges a checkpoint at or after
 *       them, so a stream resumed from any checkpoint finds every later change.</li>
 * </ul>
 * <h2>Changing triggers while the application writes</h2>
 * H2 adds and drops a table's triggers without locking the table, and a statement going through
 * the table's triggers at that moment fails. Planning therefore closes the triggers it is about to
 * drop ({@link dev.ferry.connector.jdbc.capture.TriggerGate}), waits for their running calls, and
 * changes triggers in H2's exclusive mode once no other session is in a statement
 * ({@link dev.ferry.connector.jdbc.capture.TriggerChange}): for those few
 * milliseconds other sessions' next statements wait and new connections are refused (an
 * application that keeps its connections in a pool does not notice).
 *
 * <p>Limits: writers should use H2's default {@code READ COMMITTED}; a writer waits for the clock
 * up to H2's {@code LOCK_TIMEOUT}; {@code TRUNCATE TABLE} fires no row triggers and is not
 * captured; renaming a captured table leaves its triggers writing the old name; a change's commit
 * time is the time the change was made.
 */
package dev.ferry.connector.jdbc.capture;
