package io.tracemark.attest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.checkpoint.SignedCheckpoints;
import io.tracemark.proofs.ledger.BlockHeader;
import io.tracemark.proofs.ledger.LeafBatchCodec;
import io.tracemark.proofs.merkle.InMemoryHashStore;
import io.tracemark.proofs.merkle.Tlog;
import io.tracemark.proofs.receipt.TestTsa;
import io.tracemark.proofs.tiles.TilePath;
import io.tracemark.proofs.tiles.Tiles;
import io.tracemark.proofs.note.Ed25519NoteSigner;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
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

/**
 * A contract fixture of the chain: reads {@code tracemark.chain.leaves} from the start (leaf index =
 * position in the topic's leaf sequence), builds the RFC 9162 tree with the proofs library, seals a block
 * whenever new leaves arrived, and publishes it on {@code tracemark.chain.blocks} once per replica
 * (two Ed25519 keys, each replica's copy signed by its own key, as real replicas do). It serves the
 * chain-node read API attest uses: inclusion proofs, RFC 3161 tokens over each checkpoint, keys.
 */
public final class ChainFixture implements AutoCloseable {
    public static final String ORIGIN = "tracemark.local/log";
    private static final HexFormat HEX = HexFormat.of();

    public final Ed25519NoteSigner replica1 = Ed25519NoteSigner.fromSeed("tracemark.local/chain-node-1", seed(7));
    public final Ed25519NoteSigner replica2 = Ed25519NoteSigner.fromSeed("tracemark.local/chain-node-2", seed(8));
    public final TestTsa tsa;
    private final String bootstrap;
    private final InMemoryHashStore tree = new InMemoryHashStore();
    private final Map<String, Long> indexByDigest = new ConcurrentHashMap<>();
    private final Map<Long, byte[]> tokens = new ConcurrentHashMap<>();
    private final HttpServer http;
    private final Thread thread;
    private final ObjectMapper json = new ObjectMapper();
    private volatile boolean running = true;
    private volatile boolean sealing = true;
    private long height = 0;
    private byte[] previousHash = BlockHeader.GENESIS_PREVIOUS;
    private final Map<String, Integer> leafCopies = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong tilesServed = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong inclusionsServed = new java.util.concurrent.atomic.AtomicLong();

    public ChainFixture(String bootstrap) throws Exception {
        this.bootstrap = bootstrap;
        this.tsa = new TestTsa("Tracemark fixture TSA");
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/v1/proofs/inclusion", this::inclusion);
        http.createContext("/v1/timestamps/", this::timestamp);
        http.createContext("/v1/keys", this::keys);
        http.createContext("/tile/", this::tile);
        http.start();
        thread = new Thread(this::run, "chain-fixture");
        thread.setDaemon(true);
        thread.start();
    }

    public String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    /** How many times a digest (hex) appeared as a leaf on the topic so far. */
    public int leafCount(String digest) {
        return leafCopies.getOrDefault(digest, 0);
    }

    /** Stops or resumes sealing blocks (leaves keep being read). */
    public void sealing(boolean on) {
        sealing = on;
    }

    public String[] verifierKeys() {
        return new String[] {replica1.verifier().verifierKey(), replica2.verifier().verifierKey()};
    }

    private void run() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<String, String> producer = new KafkaProducer<>(pp, new StringSerializer(), new StringSerializer())) {
            TopicPartition tp = new TopicPartition("tracemark.chain.leaves", 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            List<long[]> openBatches = new ArrayList<>();
            long fromOffset = -1;
            long lastOffset = -1;
            long lastTime = 0;
            while (running) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(50))) {
                    if (LeafBatchCodec.type(r.value()) != LeafBatchCodec.LEAVES) {
                        continue;
                    }
                    long first;
                    synchronized (tree) {
                        first = tree.size();
                        for (byte[] d : LeafBatchCodec.decodeLeaves(r.value())) {
                            String hex = HEX.formatHex(d);
                            indexByDigest.putIfAbsent(hex, tree.size());
                            leafCopies.merge(hex, 1, Integer::sum);
                            tree.appendData(d);
                        }
                    }
                    openBatches.add(new long[] {r.offset(), first, LeafBatchCodec.leafCount(r.value())});
                    fromOffset = fromOffset < 0 ? r.offset() : fromOffset;
                    lastOffset = r.offset();
                    lastTime = r.timestamp();
                }
                if (!openBatches.isEmpty() && sealing) {
                    seal(producer, openBatches, fromOffset, lastOffset, lastTime);
                    openBatches.clear();
                    fromOffset = -1;
                }
            }
        } catch (Exception e) {
            if (running) {
                e.printStackTrace();
            }
        }
    }

    private void seal(KafkaProducer<String, String> producer, List<long[]> batches, long from, long to, long time) throws Exception {
        byte[] root;
        long size;
        synchronized (tree) {
            root = tree.root();
            size = tree.size();
        }
        long first = batches.get(0)[1];
        BlockHeader h = new BlockHeader(height, previousHash, first, size - first, size, root, time);
        Checkpoint cp = new Checkpoint(ORIGIN, size, root);
        tokens.put(size, tsa.stamp(cp.text().getBytes(StandardCharsets.UTF_8)));
        for (Ed25519NoteSigner signer : List.of(replica1, replica2)) {
            ObjectNode doc = json.createObjectNode().put("origin", ORIGIN);
            doc.putObject("header").put("height", h.height()).put("previousHash", HEX.formatHex(h.previousHash()))
                    .put("firstLeafIndex", h.firstLeafIndex()).put("leafCount", h.leafCount()).put("treeSize", h.treeSize())
                    .put("root", HEX.formatHex(root)).put("timeMillis", time);
            doc.put("blockHash", HEX.formatHex(h.hash())).put("leavesFromOffset", from).put("leavesToOffset", to);
            var arr = doc.putArray("batches");
            for (long[] b : batches) {
                arr.addObject().put("offset", b[0]).put("firstLeafIndex", b[1]).put("count", b[2]);
            }
            doc.put("checkpoint", new String(SignedCheckpoints.sign(cp, signer), StandardCharsets.UTF_8));
            doc.put("signer", signer.name());
            producer.send(new ProducerRecord<>("tracemark.chain.blocks", Long.toString(height), doc.toString())).get();
        }
        previousHash = h.hash();
        height++;
    }

    private void inclusion(HttpExchange ex) throws IOException {
        inclusionsServed.incrementAndGet();
        Map<String, String> q = query(ex.getRequestURI().getQuery());
        long index = Long.parseLong(q.get("index"));
        long size = Long.parseLong(q.get("size"));
        byte[][] proof;
        synchronized (tree) {
            if (index >= size || size > tree.size()) {
                respond(ex, 422, "{}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            proof = Tlog.proveRecord(size, index, tree);
        }
        ObjectNode n = json.createObjectNode().put("index", index).put("treeSize", size).put("leafHash", "");
        var hashes = n.putArray("hashes");
        Arrays.stream(proof).forEach(h -> hashes.add(Base64.getEncoder().encodeToString(h)));
        respond(ex, 200, n.toString().getBytes(StandardCharsets.UTF_8));
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

    /** How many hash tiles were served: attest proves from tiles rather than asking per leaf. */
    public long tilesServed() {
        return tilesServed.get();
    }

    /** How many inclusion proofs were asked for one by one. */
    public long inclusionsServed() {
        return inclusionsServed.get();
    }

    private void timestamp(HttpExchange ex) throws IOException {
        long size = Long.parseLong(ex.getRequestURI().getPath().substring("/v1/timestamps/".length()));
        byte[] t = tokens.get(size);
        respond(ex, t == null ? 404 : 200, t == null ? new byte[0] : t);
    }

    private void keys(HttpExchange ex) throws IOException {
        try {
            ObjectNode n = json.createObjectNode().put("origin", ORIGIN).put("tsaCertificate", tsa.pem());
            n.putArray("verifierKeys").add(verifierKeys()[0]).add(verifierKeys()[1]);
            respond(ex, 200, n.toString().getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            respond(ex, 500, new byte[0]);
        }
    }

    private static void respond(HttpExchange ex, int status, byte[] body) throws IOException {
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

    /** The leaf index the fixture assigned to a digest's first occurrence. */
    public Long indexOf(String digestHex) {
        return indexByDigest.get(digestHex);
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
