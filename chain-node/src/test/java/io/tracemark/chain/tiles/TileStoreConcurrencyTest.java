package io.tracemark.chain.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sealing thread fsyncs the tile files while the apply thread appends, and opens a new level when the tree grows. */
class TileStoreConcurrencyTest {
    private static final int H = 32;

    @TempDir
    Path dir;

    @Test
    void aNewTileLevelOpenedWhileTheSealerFsyncsTheLevelsNeitherFailsTheSealerNorLosesTheLevel() throws Exception {
        for (int round = 0; round < 20; round++) {
            Path store = dir.resolve("round-" + round);
            Files.createDirectories(store);
            // Six levels on disk already, so each fsync pass over them takes a while: the window the apply thread
            // opens level 7 in.
            for (int l = 1; l <= 6; l++) {
                Files.write(store.resolve("level-" + l + ".bin"), new byte[H]);
            }
            try (TileStore tiles = new TileStore(store)) {
                List<Throwable> failures = new ArrayList<>();
                AtomicBoolean sealing = new AtomicBoolean(true);
                AtomicInteger passes = new AtomicInteger();
                Thread sealer = new Thread(() -> {
                    while (sealing.get()) {
                        try {
                            tiles.force();
                            passes.incrementAndGet();
                        } catch (Throwable t) {
                            synchronized (failures) {
                                failures.add(t);
                            }
                            return;
                        }
                    }
                }, "test-sealer");
                sealer.start();
                while (passes.get() < 2) {
                    Thread.onSpinWait();
                }
                // A leaf whose compact range completed 56 levels: it reaches tile level 7 (tree level 56).
                byte[] stored = new byte[57 * H];
                tiles.append(new byte[H], 0, stored, 57);
                int after = passes.get();
                while (passes.get() < after + 2 && sealer.isAlive()) {
                    Thread.onSpinWait();
                }
                sealing.set(false);
                sealer.join();
                assertEquals(List.of(), failures, "round " + round + ": the sealer's fsync failed");
                tiles.flush();
                assertTrue(Files.size(store.resolve("level-7.bin")) >= H, "round " + round + ": level 7 written");
            }
        }
    }
}
