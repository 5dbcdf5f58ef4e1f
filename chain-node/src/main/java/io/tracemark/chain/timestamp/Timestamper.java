package io.tracemark.chain.timestamp;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * Time-stamps sealed checkpoints (RFC 3161) on its own thread so the apply loop never waits.
 *
 * <p>Each checkpoint body's SHA-256 is stamped and the response stored in the {@link TokenPack}.
 * If checkpoints arrive faster than tokens can be issued the backlog is bounded by dropping the
 * oldest waiting checkpoints, i.e. the newest checkpoint of each busy interval is always stamped.
 */
public final class Timestamper implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Timestamper.class);
    private static final int BACKLOG = 1024;

    private final TsaIdentity identity;
    private final TokenIssuer issuer;
    private final TokenPack tokens;
    private final LinkedBlockingDeque<Object[]> queue = new LinkedBlockingDeque<>(BACKLOG);
    private final Thread thread;
    private volatile boolean running = true;
    private final LongAdder issued = new LongAdder();
    private final LongAdder dropped = new LongAdder();

    private Timestamper(TsaIdentity identity, TokenPack tokens) {
        this.identity = identity;
        this.issuer = new TokenIssuer(identity);
        this.tokens = tokens;
        this.thread = new Thread(this::run, "chain-timestamper");
        thread.setDaemon(true);
        thread.start();
    }

    /** Opens the TSA in {@code dir} (identity created on first start). */
    public static Timestamper open(Path dir, String name) {
        return open(dir, name, Optional.empty());
    }

    /** Opens the TSA in {@code dir} with the operator's key and certificate when given, else the one kept in {@code dir}. */
    public static Timestamper open(Path dir, String name, Optional<TsaKeyFiles> supplied) {
        TsaIdentity identity = supplied.map(f -> TsaIdentity.fromFiles(f.key(), f.certificate()))
                .orElseGet(() -> TsaIdentity.loadOrCreate(dir, name));
        return new Timestamper(identity, TokenPack.open(dir.resolve("tokens")));
    }

    /** Queues the checkpoint of {@code size} with note text {@code body} for stamping. */
    public void submit(long size, String body) {
        Object[] job = {size, body};
        while (!queue.offerLast(job)) {
            if (queue.pollFirst() != null) {
                dropped.increment();
            }
        }
    }

    /** Tokens issued and stored since start. */
    public long issuedCount() {
        return issued.sum();
    }

    /** Checkpoints not stamped since start: dropped from a full backlog, or whose stamping failed. */
    public long droppedCount() {
        return dropped.sum();
    }

    /** The stored TimeStampResp for the checkpoint of {@code size}, if it was stamped. */
    public Optional<byte[]> response(long size) {
        return tokens.read(size);
    }

    /** The TSA certificate, PEM. */
    public String certificatePem() {
        return identity.certificatePem();
    }

    /** SHA-256 of a checkpoint body: the message imprint being stamped. */
    public static byte[] imprint(String body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void run() {
        while (running || !queue.isEmpty()) {
            try {
                Object[] job = queue.pollFirst(200, TimeUnit.MILLISECONDS);
                if (job == null) {
                    continue;
                }
                long size = (Long) job[0];
                if (tokens.contains(size)) {
                    continue;
                }
                if (tokens.append(size, issuer.issue(imprint((String) job[1])))) {
                    issued.increment();
                } else {
                    // Only after a rebuild from the topic can an older, never-stamped size come back.
                    dropped.increment();
                    LOG.debugf("not stamping checkpoint %d: newer checkpoints are stamped already", size);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                dropped.increment();
                LOG.warnf(e, "time-stamping a checkpoint failed");
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            tokens.close();
        }
    }
}
