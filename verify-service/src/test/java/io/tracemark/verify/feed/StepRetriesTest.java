package io.tracemark.verify.feed;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.Guard;
import io.tracemark.edge.kafka.StepRetries;
import io.tracemark.testsupport.TracemarkInfraResource;
import io.tracemark.verify.fixtures.LoopbackChainResource;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared consumer loop's retry policy, on the real SmallRye Fault Tolerance the services run with. */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(LoopbackChainResource.class)
class StepRetriesTest {
    @Test
    void retriesAFailingStepWithDoublingBackoffUntilItSucceedsAndExportsTheRetries() throws Exception {
        List<Throwable> seen = new CopyOnWriteArrayList<>();
        Guard guard = StepRetries.untilStopped("step-retries-test", Duration.ofMillis(40), Duration.ofMillis(160), seen::add);
        AtomicInteger attempts = new AtomicInteger();
        long t0 = System.nanoTime();
        String answer = guard.call(() -> {
            if (attempts.incrementAndGet() <= 4) {
                throw new IllegalStateException("store down " + attempts.get());
            }
            return "stored";
        }, String.class);
        long tookMillis = (System.nanoTime() - t0) / 1_000_000;

        assertEquals("stored", answer);
        assertEquals(5, attempts.get());
        assertEquals(4, seen.size());
        // 40 + 80 + 160 + 160 (capped): a constant 40 ms delay would take 160 ms.
        assertTrue(tookMillis >= 400, "took " + tookMillis + " ms");
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("ft_retry_retries_total{method=\"step-retries-test\""));
    }

    @Test
    void aStopEndsTheRetriesAtOnce() {
        List<Throwable> seen = new CopyOnWriteArrayList<>();
        Guard guard = StepRetries.untilStopped("step-retries-stop-test", Duration.ofMillis(10), Duration.ofMillis(10), seen::add);
        AtomicInteger attempts = new AtomicInteger();
        assertThrows(WakeupException.class, () -> guard.call(() -> {
            attempts.incrementAndGet();
            throw new WakeupException();
        }, Void.class));
        assertEquals(1, attempts.get());
        assertEquals(List.of(), seen);
    }
}
