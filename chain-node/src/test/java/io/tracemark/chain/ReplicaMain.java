package io.tracemark.chain;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Runs one replica without Quarkus until killed; tests launch it as a child JVM to kill -9 it. */
public final class ReplicaMain {
    private ReplicaMain() {
    }

    /** Args: bootstrap dataDir keyName leavesTopic blocksTopic signaturesTopic. */
    public static void main(String[] args) throws InterruptedException {
        ReplicaSettings s = settings(args[0], Path.of(args[1]), args[2], args[3], args[4], args[5]);
        ChainReplica.start(s, new ObjectMapper());
        System.out.println("REPLICA-STARTED");
        Thread.sleep(Long.MAX_VALUE);
    }

    static ReplicaSettings settings(String bootstrap, Path dir, String name, String leaves, String blocks, String sigs) {
        return new ReplicaSettings(bootstrap, dir, name, "tracemark.local/log", 262_144, 8192, Duration.ofMillis(100),
                Optional.empty(), Optional.empty(), leaves, blocks, sigs, List.of());
    }
}
