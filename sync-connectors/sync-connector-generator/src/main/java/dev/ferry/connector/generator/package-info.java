/**
 * Synthetic data for demos, tests and benchmarks: the {@code generator} source produces
 * deterministic rows of any schema, the {@code blackhole} target discards them while counting.
 */
package dev.ferry.connector.generator;
