package dev.ferry.engine.testing;

import dev.ferry.api.state.Position;

/** A test log's position: the number of the last transaction delivered. */
public record SeqPosition(long n) implements Position {

    @Override
    public String family() {
        return "test";
    }

    @Override
    public String asText() {
        return "tx-" + n;
    }

    public static SeqPosition parse(String text) {
        if (!text.startsWith("tx-")) {
            throw new IllegalArgumentException("not a test position: '" + text + "'");
        }
        return new SeqPosition(Long.parseLong(text.substring(3)));
    }

    @Override
    public String orderKey() {
        return String.format("%019d", n);
    }

    @Override
    public int compareTo(Position other) {
        return Long.compare(n, ((SeqPosition) other).n);
    }
}
