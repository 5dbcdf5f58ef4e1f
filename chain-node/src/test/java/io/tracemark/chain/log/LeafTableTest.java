package io.tracemark.chain.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A leaf-index table faulted in ahead of use keeps every slot the apply loop has filled meanwhile. */
class LeafTableTest {
    private static final long SLOTS = 1 << 20;

    @Test
    void faultingInTheTableKeepsFilledSlotsAndLeavesTheRestEmpty(@TempDir Path dir) {
        LeafTable table = new LeafTable(dir.resolve("gen-1.bin"), 1 << 20, SLOTS);
        try {
            // The first slot of a page is the one the prefault writes; fill some of those and some others.
            for (long slot = 0; slot < SLOTS; slot += 512 * 7) {
                table.put(slot, 0x1234_5678_0000_0001L + slot);
                table.put(slot + 3, 0x0abc_def0_0000_0002L + slot);
            }
            table.prefault();
            for (long slot = 0; slot < SLOTS; slot++) {
                long expected = slot % (512 * 7) == 0 ? 0x1234_5678_0000_0001L + slot
                        : slot % (512 * 7) == 3 ? 0x0abc_def0_0000_0002L + (slot - 3) : 0;
                assertEquals(expected, table.get(slot), "slot " + slot);
            }
        } finally {
            table.close();
        }
    }

    @Test
    void slotsFilledWhileTheTableIsFaultedInAreKept(@TempDir Path dir) throws Exception {
        LeafTable table = new LeafTable(dir.resolve("gen-2.bin"), 1 << 21, SLOTS);
        try {
            Thread prefault = new Thread(table::prefault);
            prefault.start();
            // The apply loop writes the table's page-first slots from the other end while the prefault walks it.
            for (long slot = SLOTS - 512; slot >= 0; slot -= 512) {
                table.put(slot, slot + 1);
            }
            prefault.join();
            for (long slot = 0; slot < SLOTS; slot += 512) {
                assertEquals(slot + 1, table.get(slot), "slot " + slot);
            }
        } finally {
            table.close();
        }
    }
}
