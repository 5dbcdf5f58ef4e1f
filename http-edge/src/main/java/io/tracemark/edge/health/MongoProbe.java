package io.tracemark.edge.health;

import com.mongodb.client.MongoClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A MongoDB {@code ping} that answers within {@code tracemark.health.mongo-timeout}, even when the
 * server accepts connections but never replies.
 *
 * <p>Quarkus' own MongoDB check waits up to the driver's read timeout (30 s by default) on a fresh thread per
 * call, so a hung server both stalls the probe and piles up threads. Here at most one ping is in flight: a
 * probe that finds the previous ping still waiting joins it, and gives up after the timeout.
 */
@ApplicationScoped
public class MongoProbe {
    private final MongoClient mongo;
    private final Duration timeout;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "mongo-probe");
        t.setDaemon(true);
        return t;
    });
    private Future<?> inFlight;

    /** The outcome of one probe; {@code error} is the failure's class name only (driver messages name hosts). */
    public record Result(boolean up, long millis, String error) {
    }

    public MongoProbe(MongoClient mongo,
                      @ConfigProperty(name = "tracemark.health.mongo-timeout", defaultValue = "2s") Duration timeout) {
        this.mongo = mongo;
        this.timeout = timeout;
    }

    /** Pings the server, waiting at most the configured timeout. */
    public Result ping() {
        long start = System.nanoTime();
        Future<?> f;
        synchronized (this) {
            if (inFlight == null || inFlight.isDone()) {
                inFlight = executor.submit(() -> mongo.getDatabase("admin").runCommand(new Document("ping", 1)));
            }
            f = inFlight;
        }
        try {
            f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Result(true, elapsed(start), null);
        } catch (TimeoutException e) {
            return new Result(false, elapsed(start), "no answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return new Result(false, elapsed(start), e.getCause().getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, elapsed(start), "interrupted");
        }
    }

    private static long elapsed(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
