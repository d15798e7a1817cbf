package dev.ferry.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ferry.engine.testing.SeqPosition;
import org.junit.jupiter.api.Test;

class CheckpointsTest {

    @Test
    void aCommitIsSafeOnlyOnceEveryChannelAppliedWhatWasRoutedBeforeIt() {
        Checkpoints checkpoints = new Checkpoints(2);
        checkpoints.committed(new SeqPosition(1), 1_000, new long[] {2, 1});
        checkpoints.committed(new SeqPosition(2), 2_000, new long[] {3, 1});
        assertNull(checkpoints.safe());
        checkpoints.applied(0, 3);
        assertNull(checkpoints.safe(), "channel 1 has not applied its change of tx 1");
        checkpoints.applied(1, 1);
        assertEquals(new SeqPosition(2), checkpoints.safe());
        assertEquals(2_000, checkpoints.safeCommitMicros());
        assertEquals(0, checkpoints.lagMillis(10_000_000));
    }

    @Test
    void commitsThatRoutedNothingShareOneEntryAndLagCountsFromTheOldestUnapplied() {
        Checkpoints checkpoints = new Checkpoints(1);
        checkpoints.committed(new SeqPosition(1), 1_000_000, new long[] {5});
        checkpoints.committed(new SeqPosition(2), 2_000_000, new long[] {5});
        checkpoints.committed(new SeqPosition(3), 3_000_000, new long[] {5});
        assertEquals(1, checkpoints.pendingCount());
        assertEquals(9_000, checkpoints.lagMillis(10_000_000), "now 10 s, oldest waiting commit at 1 s");
        checkpoints.applied(0, 4);
        assertNull(checkpoints.safe());
        checkpoints.applied(0, 5);
        assertEquals(new SeqPosition(3), checkpoints.safe());
        checkpoints.committed(new SeqPosition(4), 4_000_000, new long[] {5});
        assertEquals(new SeqPosition(4), checkpoints.safe(), "a heartbeat after everything applied is safe at once");
    }
}
