package io.tracemark.chain.timestamp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Time-stamps sealed checkpoints (RFC 3161) on its own thread so the apply loop never waits.
 *
 * <p>Each checkpoint body's SHA-256 is stamped and the response stored as {@code tokens/<size>.tsr}.
 * If checkpoints arrive faster than tokens can be issued the backlog is bounded by dropping the
 * oldest waiting checkpoints, i.e. the newest checkpoint of each busy interval is always stamped.
 */
public final class Timestamper implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Timestamper.class);
    private static final int BACKLOG = 1024;

    private final TsaIdentity identity;
    private final TokenIssuer issuer;
    private final Path tokens;
    private final LinkedBlockingDeque<Object[]> queue = new LinkedBlockingDeque<>(BACKLOG);
    private final Thread thread;
    private volatile boolean running = true;

    private Timestamper(TsaIdentity identity, Path tokens) {
        this.identity = identity;
        this.issuer = new TokenIssuer(identity);
        this.tokens = tokens;
        this.thread = new Thread(this::run, "chain-timestamper");
        thread.setDaemon(true);
        thread.start();
    }

    /** Opens the TSA in {@code dir} (identity created on first start). */
    public static Timestamper open(Path dir, String name) {
        try {
            Files.createDirectories(dir.resolve("tokens"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Timestamper(TsaIdentity.loadOrCreate(dir, name), dir.resolve("tokens"));
    }

    /** Queues the checkpoint of {@code size} with note text {@code body} for stamping. */
    public void submit(long size, String body) {
        Object[] job = {size, body};
        while (!queue.offerLast(job)) {
            queue.pollFirst();
        }
    }

    /** The stored TimeStampResp for the checkpoint of {@code size}, if it was stamped. */
    public Optional<byte[]> response(long size) {
        try {
            return Optional.of(Files.readAllBytes(tokens.resolve(size + ".tsr")));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
                Path file = tokens.resolve(size + ".tsr");
                if (Files.exists(file)) {
                    continue;
                }
                byte[] resp = issuer.issue(imprint((String) job[1]));
                Path tmp = tokens.resolve(size + ".tsr.tmp");
                Files.write(tmp, resp);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                LOG.warnf("time-stamping a checkpoint failed: %s", e.toString());
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
        }
    }
}
