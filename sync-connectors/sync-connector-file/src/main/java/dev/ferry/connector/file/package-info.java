/**
 * CSV and JSON-lines files as sources and targets.
 *
 * <p>Sources read a file, several files, a directory or a glob, one split per file, streaming with
 * bounded memory. Targets write one part file per split under a hidden temporary name and make
 * the output visible only in {@code commit()}, so a failed job never leaves a file that looks
 * complete. Both formats share one text form per type ({@link dev.ferry.connector.file.TextValues}),
 * so every file this module writes reads back to the same values.
 */
package dev.ferry.connector.file;
