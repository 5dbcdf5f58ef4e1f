package io.tracemark.chain.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracemark.chain.ChainReplica;
import io.tracemark.chain.ChainTestInfra;
import io.tracemark.chain.ReplicaSettings;
import io.tracemark.chain.log.LogState;
import io.tracemark.proofs.ledger.LeafBatchCodec;
import io.tracemark.proofs.merkle.CompactRange;
import io.tracemark.proofs.merkle.Rfc9162Hasher;
import io.tracemark.testsupport.SharedInfra;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * End-to-end chain-node throughput: a producer writes leaf batches to Kafka while a replica applies
 * them into sealed, fsync'd, signed checkpoints; then a fresh replica replays the whole topic.
 * Also measures single-core RFC 9162 hashing in the same run. Writes a markdown section.
 *
 * <p>Run: see BENCHMARKS.md. Args: {@code [leaves] [output.md] [warm-up leaves, default 4,000,000; 0 for none]}.
 */
public final class ChainBenchmark {
    private static final int RECORD_LEAVES = 16_000;

    private ChainBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long leaves = args.length > 0 ? Long.parseLong(args[0]) : 20_000_000L;
        Path out = Path.of(args.length > 1 ? args[1] : "chain-node/target/BENCHMARKS-chain.md");
        long warmupLeaves = args.length > 2 ? Long.parseLong(args[2]) : 4_000_000L;
        double leafRate = hashRate();
        String bootstrap = SharedInfra.kafkaBootstrap();

        // A first log in the same JVM, as a node that has been running a while: the measured run then sees compiled
        // code. Reported as the cold start; its data is deleted before the measured run.
        LiveRun cold = warmupLeaves > 0 ? live(bootstrap, warmupLeaves, "bench-warmup", 2) : null;
        if (cold != null) {
            deleteTree(cold.dataDir());
        }
        LiveRun live = live(bootstrap, leaves, "bench-live", 1);
        deleteTree(live.dataDir());

        long t1 = System.nanoTime();
        ChainReplica replay = ChainReplica.start(settings(bootstrap, live.topics(), "bench-replay"), new ObjectMapper());
        while (replay.committed().treeSize() < leaves) {
            Thread.sleep(1);
        }
        long replayNanos = System.nanoTime() - t1;
        LogState replayState = replay.committed();
        replay.close();
        deleteTree(replay.config().dataDir());
        if (!java.util.Arrays.equals(live.state().lastHeader().root(), replayState.lastHeader().root())) {
            throw new IllegalStateException("replayed tree differs from the live one");
        }

        String md = report(leaves, leafRate, live, cold, replayNanos, replayState);
        System.out.println(md);
        Files.writeString(out, md, StandardCharsets.UTF_8);
        System.exit(0);
    }

    /** One live run: what was produced and how fast it became sealed, fsync'd, signed checkpoints. */
    private record LiveRun(long leaves, ChainTestInfra.Topics topics, Path dataDir, long produceNanos, long liveNanos,
            LogState state, String gaps, int checkpoints) {
        double rate() {
            return leaves / (liveNanos / 1e9);
        }
    }

    /** Produces {@code leaves} random digests to new topics while a new replica applies them, until all are sealed. */
    private static LiveRun live(String bootstrap, long leaves, String name, long seed) throws Exception {
        ChainTestInfra.Topics topics = ChainTestInfra.createTopics();
        ChainReplica replica = ChainReplica.start(settings(bootstrap, topics, name), new ObjectMapper());
        List<long[]> commits = new ArrayList<>();
        Thread watcher = watch(replica, commits);
        long t0 = System.nanoTime();
        long produceNanos = produce(bootstrap, topics.leaves(), leaves, seed);
        while (replica.committed().treeSize() < leaves) {
            Thread.sleep(1);
        }
        long liveNanos = System.nanoTime() - t0;
        watcher.interrupt();
        watcher.join();
        LogState state = replica.committed();
        replica.close();
        return new LiveRun(leaves, topics, replica.config().dataDir(), produceNanos, liveNanos, state, gaps(commits, t0),
                commits.size());
    }

    /**
     * The gaps between successive served checkpoints (as the watcher saw the tree size change): the longest, where it
     * fell (seconds after the producer started, tree sizes around it), the median, and how many exceeded 1 s.
     */
    private static String gaps(List<long[]> commits, long t0) {
        List<double[]> gaps = new ArrayList<>();
        for (int i = 1; i < commits.size(); i++) {
            gaps.add(new double[] {(commits.get(i)[0] - commits.get(i - 1)[0]) / 1e9, Math.max(0, commits.get(i - 1)[0] - t0) / 1e9,
                    commits.get(i - 1)[1], commits.get(i)[1]});
        }
        if (gaps.isEmpty()) {
            return "none observed";
        }
        double[] longest = gaps.stream().max(java.util.Comparator.comparingDouble(g -> g[0])).orElseThrow();
        double[] sorted = gaps.stream().mapToDouble(g -> g[0]).sorted().toArray();
        long over = gaps.stream().filter(g -> g[0] > 1.0).count();
        return String.format("longest %.3f s (from %.2f s after the producer started, tree size %,.0f → %,.0f); "
                + "median %.3f s; %d of %d over 1 s", longest[0], longest[1], longest[2], longest[3],
                sorted[sorted.length / 2], over, gaps.size());
    }

    /** Single-core RFC 9162 append rate: one leaf hash plus the amortised node hashes per leaf. */
    private static double hashRate() {
        CompactRange range = new CompactRange();
        Rfc9162Hasher hasher = new Rfc9162Hasher();
        byte[] digest = new byte[32];
        byte[] leaf = new byte[32];
        byte[] stored = new byte[65 * 32];
        long n = 0;
        long start = System.nanoTime();
        long warm = start + 2_000_000_000L;
        long measuredStart = 0;
        long measuredN = 0;
        while (true) {
            digest[0] = (byte) n;
            digest[1] = (byte) (n >>> 8);
            hasher.leafHashInto(digest, 0, 32, leaf, 0);
            range.appendLeafHash(leaf, 0, stored, 0);
            n++;
            if ((n & 0xffff) == 0) {
                long now = System.nanoTime();
                if (measuredStart == 0 && now > warm) {
                    measuredStart = now;
                    measuredN = n;
                } else if (measuredStart != 0 && now - measuredStart > 3_000_000_000L) {
                    return (n - measuredN) / ((now - measuredStart) / 1e9);
                }
            }
        }
    }

    private static long produce(String bootstrap, String topic, long leaves, long seed) throws Exception {
        Map<String, Object> cfg = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 1_048_576,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_048_576, ProducerConfig.BUFFER_MEMORY_CONFIG, 256L << 20,
                ProducerConfig.ACKS_CONFIG, "all");
        SplittableRandom random = new SplittableRandom(seed);
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(cfg)) {
            for (long sent = 0; sent < leaves; sent += RECORD_LEAVES) {
                int n = (int) Math.min(RECORD_LEAVES, leaves - sent);
                ByteBuffer b = ByteBuffer.allocate(5 + 32 * n).put(LeafBatchCodec.LEAVES).putInt(n);
                while (b.hasRemaining()) {
                    b.putLong(random.nextLong());
                }
                producer.send(new ProducerRecord<>(topic, b.array()));
            }
            producer.flush();
        }
        return System.nanoTime() - start;
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static Thread watch(ChainReplica replica, List<long[]> commits) {
        Thread t = new Thread(() -> {
            long last = -1;
            while (!Thread.currentThread().isInterrupted()) {
                long size = replica.committed().treeSize();
                if (size != last) {
                    synchronized (commits) {
                        commits.add(new long[] {System.nanoTime(), size});
                    }
                    last = size;
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-watch");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static ReplicaSettings settings(String bootstrap, ChainTestInfra.Topics t, String name) {
        return new ReplicaSettings(bootstrap, ChainTestInfra.tempDir(name + "-"), "tracemark.local/" + name,
                "tracemark.local/log", 262_144, 8192, Duration.ofMillis(250), Optional.empty(), Optional.empty(),
                t.leaves(), t.blocks(), t.signatures(), List.of());
    }

    private static String report(long leaves, double leafRate, LiveRun live, LiveRun cold, long replayNanos,
            LogState replay) {
        double replaySecs = replayNanos / 1e9;
        String coldRow = cold == null ? "" : String.format("| Cold start: a first log of %,d leaves in the fresh JVM (not "
                + "measured below) | %,.0f leaves/s (%.1f s); gaps: %s |%n", cold.leaves(), cold.rate(),
                cold.liveNanos() / 1e9, cold.gaps());
        return "## Chain node (chain-node)\n\n"
                + "Measured " + Instant.now() + " on " + Runtime.getRuntime().availableProcessors() + " cores, "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                + "; Kafka (KRaft, single node) in a child JVM on the same machine.\n\n"
                + "| Measurement | Result |\n|---|---|\n"
                + String.format("| Single-core RFC 9162 append (leaf hash + amortised node hash) | %,.0f leaves/s |%n", leafRate)
                + coldRow
                + String.format("| Leaves produced (records of %,d digests) | %,d |%n", RECORD_LEAVES, leaves)
                + String.format("| Producer → Kafka (acks=all) | %,.0f leaves/s (%.1f s) |%n", leaves / (live.produceNanos() / 1e9),
                        live.produceNanos() / 1e9)
                + String.format("| Live: producer → Kafka → sealed, fsync'd, signed checkpoint | %,.0f leaves/s (%.1f s) = %.3f × the hashing bound |%n",
                        live.rate(), live.liveNanos() / 1e9, live.rate() / leafRate)
                + String.format("| Live: blocks / checkpoints sealed | %,d blocks; %,d checkpoint changes observed |%n",
                        live.state().blocks(), live.checkpoints())
                + "| Live: gaps between served checkpoints | " + live.gaps() + " |\n"
                + String.format("| Replay of the full topic into an empty replica (catch-up) | %,.0f leaves/s (%.1f s, %,d blocks) |%n", leaves / replaySecs, replaySecs, replay.blocks())
                + "\nBoth replicas end with the same root. Every block is fsync'd (tiles, entries, block file, state) "
                + "before its checkpoint is signed with Ed25519 and published with its cosignature; RFC 3161 tokens are "
                + "issued asynchronously.\n\n"
                + "Reproduce: `mvn -B -q -pl chain-node -am install -DskipTests && mvn -B -q -pl chain-node "
                + "test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test && "
                + "java -Xmx2g -cp chain-node/target/classes:chain-node/target/test-classes:$(cat chain-node/target/bench.cp) "
                + "io.tracemark.chain.bench.ChainBenchmark 20000000 chain-node/target/BENCHMARKS-chain.md`\n";
    }
}
