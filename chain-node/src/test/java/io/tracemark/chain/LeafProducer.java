package io.tracemark.chain;

import io.tracemark.proofs.ledger.LeafBatchCodec;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Writes leaf batches of random digests to a leaves topic with a plain Kafka producer, remembering them. */
public final class LeafProducer implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final SecureRandom random = new SecureRandom();
    private final List<byte[]> digests = new ArrayList<>();

    /** A producer for {@code topic} on {@code bootstrap}. */
    public LeafProducer(String bootstrap, String topic) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_048_576));
        this.topic = topic;
    }

    /** Sends one batch of {@code n} fresh random digests and waits for the broker to acknowledge it. */
    public List<byte[]> sendBatch(int n) {
        List<byte[]> batch = randomDigests(n);
        send(batch, Map.of());
        return batch;
    }

    /** Sends one batch of {@code n} fresh random digests with Kafka {@code headers}; returns its offset once acknowledged. */
    public long sendBatch(int n, Map<String, byte[]> headers) {
        return send(randomDigests(n), headers);
    }

    private List<byte[]> randomDigests(int n) {
        List<byte[]> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] d = new byte[32];
            random.nextBytes(d);
            batch.add(d);
        }
        return batch;
    }

    private long send(List<byte[]> batch, Map<String, byte[]> headers) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, LeafBatchCodec.encodeLeaves(batch));
        headers.forEach((name, value) -> r.headers().add(name, value));
        long offset;
        try {
            offset = producer.send(r).get().offset();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        digests.addAll(batch);
        return offset;
    }

    /** Sends without waiting; call {@link #flush()} afterwards. */
    public void sendAsync(List<byte[]> batch) {
        producer.send(new ProducerRecord<>(topic, LeafBatchCodec.encodeLeaves(batch)));
        digests.addAll(batch);
    }

    /** Waits for all sends. */
    public void flush() {
        producer.flush();
    }

    /** Every digest sent, in send order (= leaf order when this is the only producer). */
    public List<byte[]> digests() {
        return digests;
    }

    @Override
    public void close() {
        producer.close();
    }
}
