package io.tracemark.attest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tracemark.contracts.ledger.AuthorityTimestamps;
import io.tracemark.contracts.ledger.AuthorityTimestampsCodec;
import io.tracemark.contracts.ledger.LeafPosition;
import io.tracemark.contracts.ledger.LeafPositionCodec;
import io.tracemark.contracts.ledger.InclusionProof;
import io.tracemark.contracts.ledger.InclusionProofCodec;
import io.tracemark.contracts.ledger.LedgerKeys;
import io.tracemark.contracts.ledger.LedgerKeysCodec;
import io.tracemark.contracts.blocks.BlockMessage;
import io.tracemark.contracts.blocks.BlockMessageCodec;
import io.tracemark.contracts.tracing.TraceHeaders;
import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.checkpoint.SignedCheckpoints;
import io.tracemark.proofs.cosignature.Ed25519CosignatureSigner;
import io.tracemark.proofs.ledger.BlockHeader;
import io.tracemark.proofs.ledger.LeafBatchCodec;
import io.tracemark.proofs.merkle.InMemoryHashStore;
import io.tracemark.proofs.merkle.StoredHashes;
import io.tracemark.proofs.merkle.Tlog;
import io.tracemark.proofs.note.Ed25519NoteSigner;
import io.tracemark.proofs.receipt.TestTsa;
import io.tracemark.proofs.tiles.TilePath;
import io.tracemark.proofs.tiles.Tiles;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A contract fixture of the chain, standing in for the chain-node replicas: it reads
 * {@code tracemark.chain.leaves} from the start ({@code read_committed}), appends each digest to an RFC 9162
 * tree once (a digest already in the tree, or earlier in the same record, is skipped and its position listed
 * in the batch's {@code skipped}, as the ledger does), seals a block whenever new leaves arrived, and publishes
 * it on {@code tracemark.chain.blocks} as a {@link BlockMessage} ({@link BlockMessageCodec}) once per replica:
 * two Ed25519 keys, each copy carrying only its own replica's checkpoint signature, as real replicas do. It
 * serves the chain-node read API attest uses: hash tiles, inclusion proofs, RFC 3161 tokens over each
 * checkpoint, and {@code /v1/keys} listing both replica keys (so attest expects two signatures). Each copy carries a
 * seal trace context of its own, linked to its leaf batches' ({@link FixtureSeals}), as replicas' copies do.
 */
public final class ChainFixture implements AutoCloseable {
    public static final String ORIGIN = "tracemark.local/log";
    public static final String LEAVES_TOPIC = "tracemark.chain.leaves";
    public static final String BLOCKS_TOPIC = "tracemark.chain.blocks";
    private static final HexFormat HEX = HexFormat.of();

    public final Ed25519NoteSigner replica1 = Ed25519NoteSigner.fromSeed("tracemark.local/chain-node-1", seed(7));
    public final Ed25519NoteSigner replica2 = Ed25519NoteSigner.fromSeed("tracemark.local/chain-node-2", seed(8));
    /** A witness that cosigns every checkpoint as soon as it is sealed, served at {@code /v1/checkpoints/witnessed}. */
    public final Ed25519CosignatureSigner witness = Ed25519CosignatureSigner.fromSeed("witness.test/fixture", seed(9),
            () -> System.currentTimeMillis() / 1000);
    public final TestTsa tsa;
    /** The seal trace contexts the copies carry and the leaf-batch contexts each links. */
    public final FixtureSeals seals = new FixtureSeals();
    private volatile Checkpoint witnessed;
    private final String bootstrap;
    private final InMemoryHashStore tree = new InMemoryHashStore();
    private final Map<String, Long> indexByDigest = new ConcurrentHashMap<>();
    private final Map<Long, byte[]> tokens = new ConcurrentHashMap<>();
    private final HttpServer http;
    private final Thread thread;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicLong tilesServed = new AtomicLong();
    private final AtomicLong inclusionsServed = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean sealing = true;
    private volatile long secondCopyDelayMillis;
    private volatile long sealedBlocks;
    private byte[] previousHash = BlockHeader.GENESIS_PREVIOUS;

    public ChainFixture(String bootstrap) throws Exception {
        this.bootstrap = bootstrap;
        this.tsa = new TestTsa("Tracemark fixture TSA");
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/v1/proofs/inclusion", this::inclusion);
        http.createContext("/v1/timestamps/", this::timestamp);
        http.createContext("/v1/keys", this::keys);
        http.createContext("/tile/", this::tile);
        http.createContext("/v1/leaves", this::leaf);
        http.createContext("/v1/checkpoints/witnessed", this::witnessed);
        http.start();
        thread = new Thread(this::run, "chain-fixture");
        thread.setDaemon(true);
        thread.start();
    }

    public String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    /** Stops or resumes sealing blocks (leaves keep being read and appended). */
    public void sealing(boolean on) {
        sealing = on;
    }

    /** Publishes the second replica's copy of each block this long after the first (0: right after it). */
    public void secondCopyDelay(Duration delay) {
        secondCopyDelayMillis = delay.toMillis();
    }

    /** Blocks sealed (and published by both replicas) so far; the last one has height {@code sealedBlocks() - 1}. */
    public long sealedBlocks() {
        return sealedBlocks;
    }

    /** The leaf index of a digest (hex) in the tree, or null if it has not been appended. */
    public Long indexOf(String digestHex) {
        return indexByDigest.get(digestHex);
    }

    /** The replicas' note verifier keys, as {@code /v1/keys} lists them. */
    public String[] verifierKeys() {
        return new String[] {replica1.verifier().verifierKey(), replica2.verifier().verifierKey()};
    }

    private void run() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "chain-fixture");
        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        pp.put(ProducerConfig.ACKS_CONFIG, "all");
        pp.put(ProducerConfig.CLIENT_ID_CONFIG, "chain-fixture");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(pp, new StringSerializer(), new ByteArraySerializer())) {
            TopicPartition tp = new TopicPartition(LEAVES_TOPIC, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            List<BlockMessage.Batch> pending = new ArrayList<>();
            long pendingLeaves = 0;
            long fromOffset = -1;
            long lastOffset = -1;
            long lastTime = 0;
            long blockFirstLeaf = 0;
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(50))) {
                    if (!isLeaves(r.value())) {
                        continue;
                    }
                    seals.applied(r);
                    long first;
                    List<Integer> skipped = new ArrayList<>();
                    synchronized (tree) {
                        first = tree.size();
                        List<byte[]> digests = LeafBatchCodec.decodeLeaves(r.value());
                        for (int i = 0; i < digests.size(); i++) {
                            String hex = HEX.formatHex(digests.get(i));
                            if (indexByDigest.containsKey(hex)) {
                                skipped.add(i);
                                continue;
                            }
                            indexByDigest.put(hex, tree.size());
                            tree.appendData(digests.get(i));
                        }
                        int appended = (int) (tree.size() - first);
                        if (pendingLeaves == 0) {
                            blockFirstLeaf = first;
                        }
                        pendingLeaves += appended;
                        pending.add(new BlockMessage.Batch(r.offset(), first, appended, skipped));
                    }
                    fromOffset = fromOffset < 0 ? r.offset() : fromOffset;
                    lastOffset = r.offset();
                    lastTime = r.timestamp();
                }
                // A block needs a leaf: records whose digests were all skipped ride along in the next block.
                if (pendingLeaves > 0 && sealing) {
                    seal(producer, pending, blockFirstLeaf, fromOffset, lastOffset, lastTime);
                    pending.clear();
                    pendingLeaves = 0;
                    fromOffset = -1;
                }
            }
        } catch (Exception e) {
            if (running) {
                e.printStackTrace();
            }
        }
    }

    private static boolean isLeaves(byte[] value) {
        try {
            return value != null && LeafBatchCodec.type(value) == LeafBatchCodec.LEAVES;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void seal(KafkaProducer<String, byte[]> producer, List<BlockMessage.Batch> batches, long firstLeaf, long from,
                      long to, long time) throws Exception {
        byte[] root;
        long size;
        synchronized (tree) {
            root = tree.root();
            size = tree.size();
        }
        long height = sealedBlocks;
        BlockHeader h = new BlockHeader(height, previousHash, firstLeaf, size - firstLeaf, size, root, time);
        BlockMessage.Header header = new BlockMessage.Header(height, HEX.formatHex(previousHash), firstLeaf, size - firstLeaf,
                size, HEX.formatHex(root), time);
        Checkpoint cp = new Checkpoint(ORIGIN, size, root);
        tokens.put(size, tsa.stamp(cp.text().getBytes(StandardCharsets.UTF_8)));
        witnessed = cp;
        boolean first = true;
        for (Ed25519NoteSigner signer : List.of(replica1, replica2)) {
            if (!first && secondCopyDelayMillis > 0) {
                Thread.sleep(secondCopyDelayMillis);
            }
            first = false;
            BlockMessage copy = new BlockMessage(ORIGIN, header, HEX.formatHex(h.hash()), from, to, batches,
                    new String(SignedCheckpoints.sign(cp, signer), StandardCharsets.UTF_8), signer.name());
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(BLOCKS_TOPIC, Long.toString(height),
                    BlockMessageCodec.encode(copy));
            record.headers().add(TraceHeaders.TRACEPARENT, seals.seal(batches).getBytes(StandardCharsets.US_ASCII));
            producer.send(record).get();
        }
        previousHash = h.hash();
        sealedBlocks = height + 1;
    }

    /** {@code GET /v1/leaves?hash=<digest hex>}: the leaf's index, as the chain node answers it, or 404. */
    private void leaf(HttpExchange ex) throws IOException {
        Long index = indexByDigest.get(query(ex.getRequestURI().getQuery()).get("hash"));
        if (index == null) {
            respond(ex, 404, "{}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        respond(ex, 200, LeafPositionCodec.encode(new LeafPosition(index, null)));
    }

    private void inclusion(HttpExchange ex) throws IOException {
        inclusionsServed.incrementAndGet();
        Map<String, String> q = query(ex.getRequestURI().getQuery());
        long index = Long.parseLong(q.get("index"));
        long size = Long.parseLong(q.get("size"));
        byte[][] proof;
        byte[] leafHash;
        synchronized (tree) {
            if (index >= size || size > tree.size()) {
                respond(ex, 422, "{}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            proof = Tlog.proveRecord(size, index, tree);
            leafHash = tree.readHashes(new long[]{StoredHashes.storedHashIndex(0, index)})[0];
        }
        respond(ex, 200, InclusionProofCodec.encode(new InclusionProof(index, size, Base64.getEncoder().encodeToString(leafHash),
                Arrays.stream(proof).map(h -> Base64.getEncoder().encodeToString(h)).toList())));
    }

    /** C2SP tlog-tiles hash tiles, as the chain-node serves them (entry bundles are not needed by attest). */
    private void tile(HttpExchange ex) throws IOException {
        TilePath tile;
        try {
            tile = TilePath.parse(ex.getRequestURI().getPath().substring(1));
        } catch (RuntimeException e) {
            respond(ex, 404, new byte[0]);
            return;
        }
        byte[] data;
        synchronized (tree) {
            long needed = ((tile.index() << Tiles.HEIGHT) + tile.width()) << (Tiles.HEIGHT * tile.level());
            if (tile.entries() || needed > tree.size()) {
                respond(ex, 404, new byte[0]);
                return;
            }
            data = Tiles.readTileData(tile, tree);
        }
        tilesServed.incrementAndGet();
        respond(ex, 200, data);
    }

    /**
     * {@code GET /v1/checkpoints/witnessed?from=<size>}: the latest checkpoint, signed by replica 1 and cosigned by
     * the fixture witness, with the consistency proof from {@code from}, as the chain node answers it.
     */
    private void witnessed(HttpExchange ex) throws IOException {
        long from = Long.parseLong(query(ex.getRequestURI().getQuery()).get("from"));
        Checkpoint cp = witnessed;
        if (cp == null || from > cp.size()) {
            respond(ex, 404, "{\"type\":\"https://tracemark.dev/problems/not-witnessed-yet\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        byte[][] proof;
        synchronized (tree) {
            proof = from == 0 || from == cp.size() ? new byte[0][] : Tlog.proveTree(cp.size(), from, tree);
        }
        ObjectNode n = json.createObjectNode().put("status", "witnessed")
                .put("checkpoint", new String(SignedCheckpoints.sign(cp, replica1, witness), StandardCharsets.UTF_8));
        var hashes = n.putArray("consistencyProof");
        Arrays.stream(proof).forEach(h -> hashes.add(Base64.getEncoder().encodeToString(h)));
        respond(ex, 200, n.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** How many hash tiles were served: attest proves from tiles rather than asking per leaf. */
    public long tilesServed() {
        return tilesServed.get();
    }

    /** How many inclusion proofs were asked for one by one. */
    public long inclusionsServed() {
        return inclusionsServed.get();
    }

    private void timestamp(HttpExchange ex) throws IOException {
        String rest = ex.getRequestURI().getPath().substring("/v1/timestamps/".length());
        if (rest.endsWith("/authorities")) {
            // No external time-stamp authorities: the chain node lists none for a sealed checkpoint.
            long size = Long.parseLong(rest.substring(0, rest.indexOf('/')));
            boolean sealed = tokens.containsKey(size);
            respond(ex, sealed ? 200 : 404, sealed
                    ? AuthorityTimestampsCodec.encode(new AuthorityTimestamps(size, List.of(), List.of(), List.of()))
                    : "{\"type\":\"https://tracemark.dev/problems/checkpoint-not-found\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        long size = Long.parseLong(rest);
        byte[] t = tokens.get(size);
        respond(ex, t == null ? 404 : 200, t == null ? new byte[0] : t);
    }

    private void keys(HttpExchange ex) throws IOException {
        try {
            respond(ex, 200, LedgerKeysCodec.encode(new LedgerKeys(ORIGIN, List.of(verifierKeys()), tsa.pem())));
        } catch (Exception e) {
            respond(ex, 500, new byte[0]);
        }
    }

    /** Answers with the media type the chain node gives: JSON (a problem when not 2xx) or bytes. */
    private static void respond(HttpExchange ex, int status, byte[] body) throws IOException {
        boolean json = body.length > 0 && body[0] == '{';
        ex.getResponseHeaders().set("Content-Type", !json ? "application/octet-stream"
                : status / 100 == 2 ? "application/json" : "application/problem+json");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
        ex.close();
    }

    private static Map<String, String> query(String q) {
        Map<String, String> out = new ConcurrentHashMap<>();
        for (String kv : q.split("&")) {
            String[] p = kv.split("=", 2);
            out.put(p[0], p.length > 1 ? p[1] : "");
        }
        return out;
    }

    private static byte[] seed(int b) {
        byte[] s = new byte[32];
        Arrays.fill(s, (byte) b);
        return s;
    }

    @Override
    public void close() {
        running = false;
        http.stop(0);
    }
}
