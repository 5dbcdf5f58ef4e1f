package io.tracemark.chain.tiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppendFileTest {
    @TempDir
    Path dir;

    @Test
    void theWriterReadsAppendedBytesFromTheFileTheBufferOrAcrossTheFlushPoint() {
        byte[] data = new byte[40];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i + 1);
        }
        try (AppendFile file = new AppendFile(dir.resolve("f.bin"), 16)) {
            // 40 bytes through a 16-byte buffer: 32 reach the file, the last 8 stay buffered.
            file.append(data, 0, data.length);
            byte[] out = new byte[12];

            file.readAppended(2, out, 0, 12);
            assertArrayEquals(Arrays.copyOfRange(data, 2, 14), out, "flushed");
            file.readAppended(26, out, 0, 12);
            assertArrayEquals(Arrays.copyOfRange(data, 26, 38), out, "straddling the flush point");
            file.readAppended(32, out, 0, 8);
            assertArrayEquals(Arrays.copyOfRange(data, 32, 40), Arrays.copyOf(out, 8), "buffered");
            assertThrows(IllegalStateException.class, () -> file.read(26, out, 0, 12), "plain reads see flushed bytes only");
            assertThrows(IllegalStateException.class, () -> file.readAppended(30, out, 0, 12));
        }
    }
}
