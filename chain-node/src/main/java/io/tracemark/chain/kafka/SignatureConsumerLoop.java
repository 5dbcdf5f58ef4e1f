package io.tracemark.chain.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracemark.chain.cosign.CosignatureBook;
import io.tracemark.chain.cosign.CosignatureMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Reads other replicas' checkpoint signatures from the signatures topic into the
 * {@link CosignatureBook}; starts a bounded distance before the end, since only recent
 * checkpoints are served.
 */
public final class SignatureConsumerLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SignatureConsumerLoop.class);
    private static final long REPLAY = 20_000;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final TopicPartition partition;
    private final CosignatureBook book;
    private final ObjectMapper json;
    private final Thread thread;
    private volatile boolean running = true;

    /** Creates the loop; {@link #start()} runs it. */
    public SignatureConsumerLoop(String bootstrap, String clientId, String topic, CosignatureBook book, ObjectMapper json) {
        this.consumer = new KafkaConsumer<>(KafkaSettings.consumer(bootstrap, clientId));
        this.partition = new TopicPartition(topic, 0);
        this.book = book;
        this.json = json;
        this.thread = new Thread(this::run, "chain-cosign");
        thread.setDaemon(true);
    }

    /** Starts the thread. */
    public void start() {
        thread.start();
    }

    private void run() {
        try {
            consumer.assign(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), Duration.ofMinutes(5)).get(partition);
            consumer.seek(partition, Math.max(0, end - REPLAY));
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        book.offer(json.readValue(r.value(), CosignatureMessage.class));
                    } catch (IOException e) {
                        LOG.debugf("ignoring malformed signature message at offset %d", r.offset());
                    }
                }
            }
        } catch (WakeupException e) {
            // Shutdown.
        } catch (RuntimeException e) {
            LOG.error("cosignature loop died; checkpoints are served with this replica's signature only", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
