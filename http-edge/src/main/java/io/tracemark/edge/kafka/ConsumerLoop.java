package io.tracemark.edge.kafka;

import io.smallrye.faulttolerance.api.Guard;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The thread a plain Kafka consumer's work runs on, one step (typically one poll) at a time, each through a
 * fault-tolerance {@link Guard} that retries it after a failure with backoff ({@link StepRetries}).
 *
 * <p>Why a thread of its own rather than a managed executor: a {@code KafkaConsumer} must only be used from one
 * thread and its poll blocks, so the work would hold an executor thread for the life of the service anyway.
 * Stopping sets the flag, wakes the consumer up (its blocking poll throws {@link WakeupException}) and joins;
 * the wake-up, an interrupt during a backoff, and a step failing because of the stop all end the thread quietly.
 */
public final class ConsumerLoop {
    private static final Logger LOG = Logger.getLogger(ConsumerLoop.class);
    private static final Duration WAKEUP_GRACE = Duration.ofSeconds(1);

    /** One step of the work; the loop calls it again while it runs. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    private final String name;
    private final Guard retries;
    private volatile boolean running;
    private volatile Consumer<?, ?> consumer;
    private volatile Thread thread;

    /** A loop named {@code name} (its thread's name) whose failed steps {@code retries} retries. */
    public ConsumerLoop(String name, Guard retries) {
        this.name = name;
        this.retries = retries;
    }

    /** Starts the thread: {@code step} runs repeatedly until {@link #stop}, then {@code onExit} runs on it. */
    public synchronized void start(Step step, Runnable onExit) {
        if (thread != null) {
            throw new IllegalStateException(name + " already started");
        }
        running = true;
        Thread t = new Thread(() -> run(step, onExit), name);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Remembers the consumer {@link #stop} wakes up (the latest one, when a step replaces it); returns it. */
    public <C extends Consumer<?, ?>> C watch(C c) {
        consumer = c;
        if (!running) {
            // Stopped before the consumer existed: its first poll must not block the stop.
            c.wakeup();
        }
        return c;
    }

    /** Whether the loop has been started and not stopped. */
    public boolean running() {
        return running;
    }

    /** Whether the loop's thread is alive. */
    public boolean isAlive() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    /**
     * Stops the loop and waits up to {@code wait} for its thread to end: wakes the consumer up, and interrupts
     * the thread if it has not ended within a second (it is sleeping out a backoff, or blocked outside Kafka).
     */
    public void stop(Duration wait) {
        running = false;
        Consumer<?, ?> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t = thread;
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            t.join(Math.min(wait.toMillis(), WAKEUP_GRACE.toMillis()));
            if (t.isAlive()) {
                t.interrupt();
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.warnf("%s did not stop within %s", name, wait);
        }
    }

    private void run(Step step, Runnable onExit) {
        try {
            while (running) {
                retries.call(() -> {
                    try {
                        step.run();
                    } catch (Exception e) {
                        if (!running) {
                            throw new Stopped(e);
                        }
                        throw e;
                    }
                    return null;
                }, Void.class);
            }
        } catch (Exception e) {
            if (running && !isShutdown(e)) {
                LOG.errorf(e, "%s stopped: its step failed and is not retried", name);
            }
        } finally {
            running = false;
            onExit.run();
        }
    }

    /** Whether {@code t} is how a stop reaches the thread rather than a failure of its work: never retried. */
    public static boolean isShutdown(Throwable t) {
        return t instanceof Stopped || t instanceof WakeupException || t instanceof InterruptException
                || t instanceof InterruptedException;
    }

    /** A step failed after the loop was stopped (a broken connection, a closed client): not a failure to retry. */
    public static final class Stopped extends RuntimeException {
        Stopped(Throwable cause) {
            super(cause);
        }
    }
}
