package io.tracemark.chain.timestamp.external;

import io.tracemark.testsupport.tsa.OpensslTsa;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tracemark.chain.external-tsa.min-interval}: a public authority is asked at most once an interval, for the newest checkpoint. */
class AuthorityStamperTest {
    private static OpensslTsa tsa;

    @BeforeAll
    static void authority() throws Exception {
        assertTrue(OpensslTsa.available(), "openssl is not installed: run ./tracemark test-tools");
        tsa = OpensslTsa.start("Rate Limited Test TSA");
    }

    @AfterAll
    static void stop() {
        tsa.close();
    }

    private static String checkpoint(long size) {
        return "tracemark.test/log\n" + size + "\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
    }

    private static long await(AuthorityStamper stamper, long size) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (stamper.token(size).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "no token for tree size " + size + ": " + stamper.status());
            Thread.sleep(20);
        }
        return System.nanoTime();
    }

    @Test
    void checkpointsSealedWithinTheIntervalGoWithoutATokenAndTheNewestIsAskedWhenItEnds(@TempDir Path dir) throws Exception {
        Duration interval = Duration.ofMillis(1500);
        ExternalTsaSettings settings = new ExternalTsaSettings(List.of(), Duration.ofSeconds(10), 1, Duration.ofMillis(100), interval);
        Authority authority = Authority.parse("limited " + tsa.url() + " " + tsa.certificateFile());
        try (AuthorityStamper stamper = new AuthorityStamper(authority, settings, dir)) {
            long firstSubmitted = System.nanoTime();
            stamper.submit(1, checkpoint(1));
            await(stamper, 1);
            stamper.submit(2, checkpoint(2));
            stamper.submit(3, checkpoint(3));
            stamper.submit(4, checkpoint(4));
            long newest = await(stamper, 4);
            // The first request went out after it was submitted, and the next one may not go out within the interval.
            assertTrue(newest - firstSubmitted >= interval.toNanos(), "asked again "
                    + Duration.ofNanos(newest - firstSubmitted).toMillis() + " ms after the first, within the " + interval + " interval");
            assertTrue(stamper.token(2).isEmpty(), "tree size 2 was sealed within the interval");
            assertTrue(stamper.token(3).isEmpty(), "tree size 3 was sealed within the interval");
            assertEquals(2, stamper.missed());
            assertEquals(2, stamper.obtained());
            assertEquals(0, stamper.failures(), stamper.status());
        }
    }
}
