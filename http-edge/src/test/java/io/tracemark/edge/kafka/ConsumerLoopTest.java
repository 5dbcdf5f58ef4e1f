package io.tracemark.edge.kafka;

import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.util.TypeLiteral;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loop's lifecycle: steps repeat, a stop wakes a blocked poll and ends the thread quietly, failures retry. */
class ConsumerLoopTest {
    /** Retries like {@link StepRetries#untilStopped} without delay, recording what it retried. */
    static class RecordingGuard implements Guard {
        final List<Throwable> retried = new CopyOnWriteArrayList<>();

        @Override
        public <T> T call(Callable<T> action, Class<T> type) throws Exception {
            while (true) {
                try {
                    return action.call();
                } catch (Exception e) {
                    if (ConsumerLoop.isShutdown(e)) {
                        throw e;
                    }
                    retried.add(e);
                }
            }
        }

        @Override
        public <T> T call(Callable<T> action, TypeLiteral<T> type) throws Exception {
            return call(action, (Class<T>) null);
        }

        @Override
        public <T> T get(Supplier<T> action, Class<T> type) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> T get(Supplier<T> action, TypeLiteral<T> type) {
            throw new UnsupportedOperationException();
        }
    }

    /** A consumer whose poll blocks until it is woken up, as a real one waiting on an idle topic does. */
    static final class IdleConsumer extends MockConsumer<byte[], byte[]> {
        final CountDownLatch woken = new CountDownLatch(1);
        final CountDownLatch polling = new CountDownLatch(1);

        IdleConsumer() {
            super("earliest");
        }

        @Override
        public synchronized ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            polling.countDown();
            try {
                woken.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new org.apache.kafka.common.errors.InterruptException(e);
            }
            throw new WakeupException();
        }

        @Override
        public void wakeup() {
            woken.countDown();
        }
    }

    @Test
    void stopWakesABlockedPollAndEndsTheThreadQuietlyWithoutAnInterrupt() throws Exception {
        RecordingGuard guard = new RecordingGuard();
        ConsumerLoop loop = new ConsumerLoop("test-loop", guard);
        IdleConsumer consumer = new IdleConsumer();
        AtomicInteger exits = new AtomicInteger();
        loop.start(() -> loop.watch(consumer).poll(Duration.ofSeconds(30)), exits::incrementAndGet);
        assertTrue(consumer.polling.await(5, TimeUnit.SECONDS));

        long t0 = System.nanoTime();
        loop.stop(Duration.ofSeconds(10));
        long tookMillis = (System.nanoTime() - t0) / 1_000_000;

        assertFalse(loop.isAlive());
        // Under the one-second grace after which stop interrupts: the wake-up alone ended the poll.
        assertTrue(tookMillis < 900, "stopped in " + tookMillis + " ms");
        assertEquals(1, exits.get());
        assertEquals(List.of(), guard.retried);
    }

    @Test
    void aFailedStepIsRetriedAndTheLoopGoesOn() throws Exception {
        RecordingGuard guard = new RecordingGuard();
        ConsumerLoop loop = new ConsumerLoop("test-loop", guard);
        AtomicInteger steps = new AtomicInteger();
        CountDownLatch fifth = new CountDownLatch(1);
        loop.start(() -> {
            int n = steps.incrementAndGet();
            if (n == 2) {
                throw new IllegalStateException("broker gone");
            }
            if (n >= 5) {
                fifth.countDown();
                Thread.sleep(10);
            }
        }, () -> {
        });
        assertTrue(fifth.await(5, TimeUnit.SECONDS));
        loop.stop(Duration.ofSeconds(5));
        assertEquals(1, guard.retried.size());
        assertInstanceOf(IllegalStateException.class, guard.retried.get(0));
    }

    @Test
    void aStepFailingBecauseOfTheStopIsNotRetried() throws Exception {
        RecordingGuard guard = new RecordingGuard();
        ConsumerLoop loop = new ConsumerLoop("test-loop", guard);
        CountDownLatch stepping = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicInteger exits = new AtomicInteger();
        loop.start(() -> {
            stepping.countDown();
            stopped.await(5, TimeUnit.SECONDS);
            throw new IllegalStateException("producer closed under us");
        }, exits::incrementAndGet);
        assertTrue(stepping.await(5, TimeUnit.SECONDS));
        Thread stopper = new Thread(() -> loop.stop(Duration.ofSeconds(5)));
        stopper.start();
        while (loop.running()) {
            Thread.sleep(1);
        }
        stopped.countDown();
        stopper.join(5_000);
        assertFalse(loop.isAlive());
        assertEquals(List.of(), guard.retried);
        assertEquals(1, exits.get());
    }

    @Test
    void aStepThatIsNotRetriedEndsTheLoopAndRunsItsExit() throws Exception {
        Guard once = new RecordingGuard() {
            @Override
            public <T> T call(Callable<T> action, Class<T> type) throws Exception {
                return action.call();
            }
        };
        ConsumerLoop loop = new ConsumerLoop("test-loop", once);
        CountDownLatch exited = new CountDownLatch(1);
        loop.start(() -> {
            throw new IllegalArgumentException("misconfigured");
        }, exited::countDown);
        assertTrue(exited.await(5, TimeUnit.SECONDS));
        assertFalse(loop.running());
    }
}
