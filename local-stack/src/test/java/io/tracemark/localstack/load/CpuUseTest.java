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
    void aThreadThatEndedKeepsItsCpuInItsPart() throws InterruptedException {
        Duration before = CpuUse.sample(Map.of()).get(CpuUse.LOAD);
        Thread worker = new Thread(() -> {
            long deadline = System.nanoTime() + 200_000_000L;
            long spin = 0;
            while (System.nanoTime() < deadline) {
                spin += System.nanoTime() % 3;
            }
            assertTrue(spin >= 0);
        }, "load-test-spinner");
        worker.start();
        Thread.sleep(100);
        Duration during = CpuUse.sample(Map.of()).get(CpuUse.LOAD);
        worker.join();
        Duration after = CpuUse.sample(Map.of()).get(CpuUse.LOAD);
        assertTrue(during.compareTo(before) > 0, "the spinning thread is the load driver's: " + before + " → " + during);
        assertTrue(after.compareTo(during) >= 0, "an ended thread's CPU must not vanish from its part: " + during + " → " + after);
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
