package io.tracemark.localstack.load;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuUseTest {
    @Test
    void tellsTheEmbeddedPartsOfTheLocalStackJvmApartByThreadName() {
        assertEquals(CpuUse.MONGO, CpuUse.partOf("mongo-server-worker3"));
        assertEquals(CpuUse.KAFKA, CpuUse.partOf("data-plane-kafka-request-handler-1"));
        assertEquals(CpuUse.KAFKA, CpuUse.partOf("kafka-1-raft-io-thread"));
        assertEquals(CpuUse.LOAD, CpuUse.partOf("load-anchor-watch"));
        assertEquals(CpuUse.LOAD, CpuUse.partOf("kafka-producer-network-thread | producer-1"));
        assertEquals(CpuUse.LOAD, CpuUse.partOf("main"));
    }

    @Test
    void thePartsOfThisJvmAddUpToItsProcessCpuTime() {
        long spin = 0;
        for (int i = 0; i < 20_000_000; i++) {
            spin += i % 7;
        }
        Map<String, Duration> sample = CpuUse.sample(Map.of());
        Duration total = ProcessHandle.current().info().totalCpuDuration().orElseThrow();
        Duration parts = sample.values().stream().reduce(Duration.ZERO, Duration::plus);
        assertTrue(spin > 0);
        assertTrue(sample.get(CpuUse.LOAD).toNanos() > 0, "the main thread's work is the load driver's: " + sample);
        // Sampled a moment apart: the parts may only have grown by what ran in between.
        assertTrue(Math.abs(total.minus(parts).toMillis()) < 500, "parts " + parts + " vs process " + total);
    }
}
