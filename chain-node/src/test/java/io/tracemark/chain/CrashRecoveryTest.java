package io.tracemark.chain;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracemark.chain.tiles.TreeHashReader;
import io.tracemark.proofs.merkle.InMemoryHashStore;
import io.tracemark.proofs.merkle.Rfc9162Verifier;
import io.tracemark.proofs.merkle.Tlog;
import io.tracemark.testsupport.SharedInfra;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A replica in a child JVM is killed with SIGKILL again and again while leaves stream in; after
 * recovery it must hold exactly the tree and blocks of a replica that ran uninterrupted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrashRecoveryTest {
    private static final int BATCHES = 300;
    private static final int BATCH = 1000;
    private static final int KILLS = 6;

    private final ObjectMapper json = new ObjectMapper();
    private final Random random = new Random(2024);
    private ChainTestInfra.Topics topics;
    private ChainReplica steady;
    private ChainReplica recovered;
    private final InMemoryHashStore ref = new InMemoryHashStore();
    private final List<Long> killedAtSizes = new ArrayList<>();

    @BeforeAll
    void streamLeavesWhileKillingAReplica() throws Exception {
        topics = ChainTestInfra.createTopics();
        String bootstrap = SharedInfra.kafkaBootstrap();
        steady = ChainReplica.start(settings(ChainTestInfra.tempDir("steady-"), "steady"), json);
        Path crashDir = ChainTestInfra.tempDir("crashy-");

        AtomicBoolean producing = new AtomicBoolean(true);
        List<byte[]> digests;
        try (LeafProducer producer = new LeafProducer(bootstrap, topics.leaves())) {
            Thread streamer = new Thread(() -> {
                for (int i = 0; i < BATCHES; i++) {
                    List<byte[]> batch = new ArrayList<>(BATCH);
                    for (int j = 0; j < BATCH; j++) {
                        byte[] d = new byte[32];
                        random.nextBytes(d);
                        batch.add(d);
                    }
                    producer.sendAsync(batch);
                    if (i % 10 == 9) {
                        producer.flush();
                        sleep(100);
                    }
                }
                producer.flush();
                producing.set(false);
            });
            streamer.start();
            for (int k = 0; k < KILLS || producing.get(); k++) {
                Process child = startChild(bootstrap, crashDir);
                awaitProgress(child, crashDir);
                sleep(random.nextInt(500));
                child.destroyForcibly().waitFor();
                killedAtSizes.add(stateSize(crashDir));
            }
            streamer.join();
            digests = producer.digests();
        }
        digests.forEach(ref::appendData);
        recovered = ChainReplica.start(settings(crashDir, "crashy"), json);
        await().atMost(Duration.ofSeconds(120)).until(() -> steady.committed().treeSize() == ref.size()
                && recovered.committed().treeSize() == ref.size());
    }

    @AfterAll
    void stop() {
        if (recovered != null) {
            recovered.close();
        }
        if (steady != null) {
            steady.close();
        }
    }

    @Test
    void killedReplicaRecoversToTheSameTreeAndBlocksAsAnUninterruptedOne() {
        assertTrue(killedAtSizes.stream().anyMatch(s -> s > 0 && s < ref.size()),
                "the replica was killed mid-stream at sizes " + killedAtSizes);
        assertEquals(steady.committed(), recovered.committed());
        assertArrayEquals(ref.root(), steady.committed().lastHeader().root());
        for (long h = 0; h < steady.committed().blocks(); h++) {
            var a = steady.block(h).orElseThrow();
            var b = recovered.block(h).orElseThrow();
            assertEquals(a.header(), b.header());
            assertEquals(a.batches(), b.batches());
        }
    }

    @Test
    void hundredsOfThousandsOfLeavesProveInclusionAndConsistency() {
        long size = ref.size();
        assertEquals((long) BATCHES * BATCH, size);
        var tiles = recovered.storage().tiles();
        TreeHashReader reader = new TreeHashReader(tiles, size);
        byte[] root = ref.root();
        Random r = new Random(5);
        for (int i = 0; i < 300; i++) {
            long index = Math.floorMod(r.nextLong(), size);
            byte[] leafHash = tiles.readLevel(0, index, 1);
            Rfc9162Verifier.verifyInclusion(index, size, leafHash, Tlog.proveRecord(size, index, reader), root);
            long older = 1 + Math.floorMod(r.nextLong(), size);
            byte[] olderRoot = Tlog.treeHash(older, ref);
            Rfc9162Verifier.verifyConsistency(older, size, olderRoot, root, Tlog.proveTree(size, older, reader));
        }
        assertArrayEquals(root, Tlog.treeHash(size, reader));
    }

    private ReplicaSettings settings(Path dir, String name) {
        return ReplicaMain.settings(SharedInfra.kafkaBootstrap(), dir, "tracemark.local/" + name, topics.leaves(),
                topics.blocks(), topics.signatures());
    }

    private Process startChild(String bootstrap, Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), ReplicaMain.class.getName(), bootstrap, dir.toString(),
                "tracemark.local/crashy", topics.leaves(), topics.blocks(), topics.signatures())
                .redirectErrorStream(true).redirectOutput(new File(dir.toFile(), "child.log")).start();
    }

    /**
     * Waits until the child has committed beyond where the last one was killed, so that every kill
     * lands mid-stream however slowly the child starts on a busy machine.
     */
    private static void awaitProgress(Process child, Path dir) throws Exception {
        long before = stateSize(dir);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (before < (long) BATCHES * BATCH && stateSize(dir) == before && child.isAlive()
                && System.nanoTime() < deadline) {
            sleep(20);
        }
    }

    private static long stateSize(Path dir) throws Exception {
        Path state = dir.resolve("log/state.bin");
        return Files.exists(state) ? new io.tracemark.chain.log.StateFile(dir.resolve("log")).read().orElseThrow().treeSize() : 0;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
