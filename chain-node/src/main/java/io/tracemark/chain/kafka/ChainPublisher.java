package io.tracemark.chain.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracemark.chain.cosign.CosignatureMessage;
import io.tracemark.contracts.blocks.BlockMessage;
import io.tracemark.contracts.blocks.BlockMessageCodec;
import io.tracemark.proofs.ledger.LeafBatchCodec;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/** Publishes the chain node's output: seal markers, sealed blocks and checkpoint signatures. */
public final class ChainPublisher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ChainPublisher.class);

    private final KafkaProducer<String, byte[]> producer;
    private final ObjectMapper json;
    private final String leavesTopic;
    private final String blocksTopic;
    private final String signaturesTopic;
    private final AtomicBoolean failing = new AtomicBoolean();

    /** A publisher with its own producer. */
    public ChainPublisher(String bootstrap, String clientId, ObjectMapper json, String leavesTopic, String blocksTopic,
            String signaturesTopic) {
        this.producer = new KafkaProducer<>(KafkaSettings.producer(bootstrap, clientId));
        this.json = json;
        this.leavesTopic = leavesTopic;
        this.blocksTopic = blocksTopic;
        this.signaturesTopic = signaturesTopic;
    }

    /** Appends a seal marker to the leaves topic (LeafBatchCodec type 0x02). */
    public void publishSeal(long observedTreeSize) {
        producer.send(new ProducerRecord<>(leavesTopic, LeafBatchCodec.encodeSeal(observedTreeSize)),
                (md, e) -> sent(e, "seal marker of tree size " + observedTreeSize + " not published"));
    }

    /** Publishes a block, keyed by its height in decimal, in the contract's encoding ({@link BlockMessageCodec}). */
    public void publishBlock(BlockMessage block) {
        publishBlock(block, Map.of());
    }

    /** {@link #publishBlock(BlockMessage)} with Kafka headers beside the value (W3C trace context), which they never change. */
    public void publishBlock(BlockMessage block, Map<String, byte[]> headers) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(blocksTopic, Long.toString(block.header().height()),
                BlockMessageCodec.encode(block));
        headers.forEach((name, value) -> r.headers().add(name, value));
        send(r);
    }

    /** Publishes this replica's signature of a checkpoint for the other replicas. */
    public void publishSignature(CosignatureMessage m) {
        send(signaturesTopic, Long.toString(m.treeSize()), m);
    }

    private void send(String topic, String key, Object value) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        send(topic, key, bytes);
    }

    private void send(String topic, String key, byte[] bytes) {
        send(new ProducerRecord<>(topic, key, bytes));
    }

    private void send(ProducerRecord<String, byte[]> r) {
        producer.send(r, (md, e) -> sent(e, "publishing " + r.key() + " to " + r.topic() + " failed"));
    }

    /**
     * Logs a failed send: while Kafka is away every send fails, so the first failure since a send went through
     * carries the stack trace and the rest one line each.
     */
    private void sent(Exception e, String what) {
        if (e == null) {
            failing.set(false);
        } else if (failing.compareAndSet(false, true)) {
            LOG.warnf(e, "%s (stack trace logged once until a send succeeds)", what);
        } else {
            LOG.warnf("%s again: %s", what, e);
        }
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
