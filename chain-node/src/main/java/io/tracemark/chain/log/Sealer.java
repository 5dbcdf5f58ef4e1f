package io.tracemark.chain.log;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Makes cut blocks durable off the apply thread, then hands them on for signing and publishing.
 *
 * <p>Blocks queued while an fsync runs are committed together (group commit), so a slow disk
 * lowers the number of fsyncs rather than the apply rate; the bounded queue applies back-pressure
 * to the apply loop if the disk cannot keep up at all. Order is preserved: a block is announced
 * only after it and every earlier block are on disk.
 */
public final class Sealer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Sealer.class);

    private final LogStorage storage;
    private final Consumer<Commit> onDurable;
    private final BlockingQueue<Commit> queue = new ArrayBlockingQueue<>(256);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    /** Starts the sealer thread; {@code onDurable} runs on it for each block, in order. */
    public Sealer(LogStorage storage, Consumer<Commit> onDurable) {
        this.storage = storage;
        this.onDurable = onDurable;
        this.thread = new Thread(this::run, "chain-sealer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a block, blocking while the queue is full. */
    public void submit(Commit commit) throws InterruptedException {
        while (!queue.offer(commit, 1, TimeUnit.SECONDS)) {
            if (failure != null) {
                throw new IllegalStateException("sealer failed", failure);
            }
        }
    }

    /** Whether the sealer stopped on an error. */
    public Throwable failure() {
        return failure;
    }

    private void run() {
        List<Commit> batch = new ArrayList<>();
        try {
            while (running || !queue.isEmpty()) {
                Commit first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch);
                storage.commit(batch.get(batch.size() - 1).state());
                for (Commit c : batch) {
                    onDurable.accept(c);
                }
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("sealing failed; the node stops applying", e);
        }
    }

    /** Seals what is queued, then stops. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(30_000);
    }
}
