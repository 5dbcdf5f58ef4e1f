package io.tracemark.verify.chain;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.cosignature.Ed25519CosignatureSigner;
import io.tracemark.proofs.receipt.CheckCode;
import io.tracemark.testsupport.TracemarkInfraResource;
import io.tracemark.verify.fixtures.LoopbackChainNode;
import io.tracemark.verify.fixtures.LoopbackChainResource;
import io.tracemark.verify.verification.Check;
import io.tracemark.verify.verification.LedgerChecks;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A witness policy: the log's latest checkpoint counts only once the trusted witnesses cosigned it. */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(LoopbackChainResource.class)
class WitnessPolicyTest {
    @Inject
    ChainNodeClient client;

    private final LoopbackChainNode chain = LoopbackChainNode.shared();

    private static Ed25519CosignatureSigner witness(String name) {
        return Ed25519CosignatureSigner.generate(name, new SecureRandom(), () -> Instant.now().getEpochSecond());
    }

    private TrustPolicy policy(Optional<Integer> threshold, Ed25519CosignatureSigner... witnesses) {
        return new TrustPolicy(client, LoopbackChainNode.ORIGIN, Optional.empty(), Optional.empty(), 64,
                Optional.of(java.util.Arrays.stream(witnesses).map(w -> w.verifier().verifierKey()).toList()), threshold,
                Optional.empty(), java.time.Duration.ofSeconds(60));
    }

    @Test
    void aCheckpointNotYetCosignedByEveryTrustedWitnessIsRefusedThenAcceptedOnceItIs() {
        Ed25519CosignatureSigner w1 = witness("witness.example/one");
        Ed25519CosignatureSigner w2 = witness("witness.example/two");
        TrustPolicy trust = policy(Optional.empty(), w1, w2);
        LatestCheckpoint latest = new LatestCheckpoint(client, trust, Duration.ZERO);
        chain.append("1a".repeat(32));
        chain.seal();
        long size = chain.size();
        ProofException e = assertThrows(ProofException.class, () -> latest.verified(trust.current(), size));
        assertEquals(ProofErrorCode.WITNESS_THRESHOLD, e.errorCode());
        chain.cosignLatest(w1);
        e = assertThrows(ProofException.class, () -> latest.verified(trust.current(), size), "one of two is not enough");
        assertEquals(ProofErrorCode.WITNESS_THRESHOLD, e.errorCode());
        chain.cosignLatest(w2);
        assertEquals(size, latest.verified(trust.current(), size).size());
        assertEquals(List.of("witness.example/one", "witness.example/two"), latest.witnessedBy(trust.current(), size));
    }

    @Test
    void theConsistencyCheckSaysWhichWitnessesCosignedOrThatTheyHaveNotYet() {
        Ed25519CosignatureSigner w1 = witness("witness.example/alpha");
        Ed25519CosignatureSigner w2 = witness("witness.example/beta");
        TrustPolicy trust = policy(Optional.of(1), w1, w2);
        LedgerChecks checks = new LedgerChecks(new LatestCheckpoint(client, trust, Duration.ZERO));
        chain.append("1b".repeat(32));
        chain.seal();
        String receiptCheckpoint = chain.latestCheckpoint();

        Check waiting = checks.consistent(receiptCheckpoint, trust.current());
        assertEquals(CheckCode.CHECKPOINT_CONSISTENT, waiting.code());
        assertEquals(Check.ERROR, waiting.result());
        assertTrue(waiting.detail().contains("not yet cosigned by 1 of the 2 trusted witnesses"), waiting.detail());

        chain.cosignLatest(w2);
        Check passed = checks.consistent(receiptCheckpoint, trust.current());
        assertEquals(Check.PASS, passed.result(), passed.detail());
        assertEquals(List.of("witness.example/beta"), passed.data().get("witnessedBy"));
    }

    @Test
    void aCosignatureByAKeyThatIsNotATrustedWitnessDoesNotCount() {
        Ed25519CosignatureSigner trusted = witness("witness.example/trusted");
        TrustPolicy trust = policy(Optional.empty(), trusted);
        LatestCheckpoint latest = new LatestCheckpoint(client, trust, Duration.ZERO);
        chain.append("1c".repeat(32));
        chain.seal();
        chain.cosignLatest(witness("witness.example/stranger"));
        ProofException e = assertThrows(ProofException.class, () -> latest.verified(trust.current(), chain.size()));
        assertEquals(ProofErrorCode.WITNESS_THRESHOLD, e.errorCode());
    }

    @Test
    void whileTheLatestCheckpointAwaitsItsWitnessesAReceiptTheWitnessedOneCoversIsJudgedByIt() {
        Ed25519CosignatureSigner w = witness("witness.example/gamma");
        TrustPolicy trust = policy(Optional.empty(), w);
        LedgerChecks checks = new LedgerChecks(new LatestCheckpoint(client, trust, Duration.ZERO));
        chain.append("1d".repeat(32));
        chain.seal();
        String receiptCheckpoint = chain.latestCheckpoint();
        long witnessedSize = chain.size();
        chain.cosignLatest(w);
        assertEquals(Check.PASS, checks.consistent(receiptCheckpoint, trust.current()).result());
        chain.append("1e".repeat(32));
        chain.seal();
        String newerCheckpoint = chain.latestCheckpoint();

        Check older = checks.consistent(receiptCheckpoint, trust.current());
        assertEquals(Check.PASS, older.result(), older.detail());
        assertEquals(witnessedSize, older.data().get("latestTreeSize"), "judged by the newest witnessed checkpoint");
        assertEquals(List.of("witness.example/gamma"), older.data().get("witnessedBy"));

        Check newer = checks.consistent(newerCheckpoint, trust.current());
        assertEquals(Check.ERROR, newer.result(), "no witnessed checkpoint covers it yet");
        assertTrue(newer.detail().contains("not yet cosigned"), newer.detail());
        chain.cosignLatest(w);
        assertEquals(Check.PASS, checks.consistent(newerCheckpoint, trust.current()).result());
    }
}
