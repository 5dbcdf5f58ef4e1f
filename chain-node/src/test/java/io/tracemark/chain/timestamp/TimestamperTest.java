package io.tracemark.chain.timestamp;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import org.bouncycastle.tsp.TimeStampResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimestamperTest {
    @TempDir
    Path dir;

    private static String body(long size) {
        return "tracemark.local/log\n" + size + "\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
    }

    private static void assertStamps(Timestamper t, long size) throws Exception {
        byte[] resp = t.response(size).orElseThrow(() -> new AssertionError("no token for " + size));
        assertArrayEquals(Timestamper.imprint(body(size)),
                new TimeStampResponse(resp).getTimeStampToken().getTimeStampInfo().getMessageImprintDigest());
    }

    @Test
    void tokensArePackedAndSurviveATornTailAndRestart() throws Exception {
        Timestamper t = Timestamper.open(dir, "tracemark.local/tsa-test");
        for (long size : new long[] {10, 20, 30}) {
            t.submit(size, body(size));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> t.response(30).isPresent());
        assertEquals(3, t.issuedCount());
        byte[] token10 = t.response(10).orElseThrow();
        t.close();
        try (var files = Files.list(dir.resolve("tokens"))) {
            assertEquals(2, files.count(), "one pack and one index file, not a file per token");
        }
        // A crash in the middle of the next append: half a response and half an index record.
        Files.write(dir.resolve("tokens/tokens.pack"), new byte[77], StandardOpenOption.APPEND);
        Files.write(dir.resolve("tokens/tokens.idx"), new byte[11], StandardOpenOption.APPEND);
        // A token stored one-file-per-checkpoint by an earlier version.
        Files.write(dir.resolve("tokens/5.tsr"), token10);

        Timestamper reopened = Timestamper.open(dir, "tracemark.local/tsa-test");
        try {
            for (long size : new long[] {10, 20, 30}) {
                assertStamps(reopened, size);
            }
            assertTrue(reopened.response(5).isPresent());
            assertEquals(Optional.empty(), reopened.response(15).map(b -> b.length));
            reopened.submit(30, body(30));
            reopened.submit(25, body(25));
            reopened.submit(40, body(40));
            await().atMost(Duration.ofSeconds(20)).until(() -> reopened.response(40).isPresent());
            assertStamps(reopened, 40);
            assertEquals(1, reopened.issuedCount(), "30 was stamped already");
            assertEquals(1, reopened.droppedCount(), "25 arrived after 30 was stamped");
            assertTrue(reopened.response(25).isEmpty());
        } finally {
            reopened.close();
        }
    }
}
