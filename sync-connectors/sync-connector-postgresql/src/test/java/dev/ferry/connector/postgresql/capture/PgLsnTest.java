package dev.ferry.connector.postgresql.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PgLsnTest {

    @Test
    void orderKeysSortAsLsnsDo() {
        List<PgLsn> ordered = List.of(PgLsn.parse("0/9"), PgLsn.parse("0/10"), PgLsn.parse("0/FFFFFFFF"),
                PgLsn.parse("1/0"), PgLsn.parse("16/B374D848"), new PgLsn(-1L));
        List<String> keys = new ArrayList<>(ordered.stream().map(PgLsn::orderKey).toList());
        Collections.shuffle(keys, new Random(3));
        Collections.sort(keys);
        assertEquals(ordered.stream().map(PgLsn::orderKey).toList(), keys);
        assertEquals("00000016B374D848", PgLsn.parse("16/B374D848").orderKey());
    }
}
