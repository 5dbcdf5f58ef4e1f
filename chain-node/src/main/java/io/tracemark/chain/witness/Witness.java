package io.tracemark.chain.witness;

import io.tracemark.chain.checkpoint.SignerKeyFile;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.cosignature.CosignatureKeys;
import io.tracemark.proofs.cosignature.Ed25519CosignatureSigner;
import io.tracemark.proofs.merkle.Hashes;
import io.tracemark.proofs.merkle.Rfc9162Hasher;
import io.tracemark.proofs.merkle.Rfc9162Verifier;
import io.tracemark.proofs.note.Note;
import io.tracemark.proofs.note.NoteSignature;
import io.tracemark.proofs.note.Notes;
import io.tracemark.proofs.note.VerifiedNote;
import io.tracemark.proofs.note.VerifierSet;
import io.tracemark.proofs.witness.AddCheckpointRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * A C2SP tlog-witness: {@code add-checkpoint} checks a submission in the order the spec lists
 * (404 unknown origin, 403 no valid trusted signature, 400 old size above the checkpoint, 409 old
 * size not the latest cosigned one, 422 inconsistent), persists the checkpoint, and only then
 * returns its {@code cosignature/v1}. Check and update run under one lock per origin, so two
 * concurrent submissions cannot roll the log's state back (the race the spec describes).
 */
public final class Witness implements AutoCloseable {
    /** Larger bodies are refused before parsing; a checkpoint with 100 signatures and 63 hashes is far smaller. */
    public static final int MAX_REQUEST_BYTES = 64 * 1024;

    private static final Logger LOG = Logger.getLogger(Witness.class);

    private final Ed25519CosignatureSigner signer;
    private final Map<String, VerifierSet> logs;
    private final WitnessStateStore store;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final LongAdder cosigned = new LongAdder();
    private final LongAdder inconsistent = new LongAdder();

    /**
     * A witness cosigning with {@code signer} for the logs in {@code logs} (origin to trusted log keys),
     * remembering what it cosigned in {@code store}.
     */
    public Witness(Ed25519CosignatureSigner signer, Map<String, VerifierSet> logs, WitnessStateStore store) {
        this.signer = signer;
        this.logs = Map.copyOf(logs);
        this.store = store;
    }

    /**
     * Opens the witness of {@code settings}: its cosigner key (generated on first start), the
     * trusted logs, and its state (refusing to start if another process holds it).
     */
    public static Witness open(WitnessSettings settings) {
        Path dir = settings.dataDir();
        LongSupplier clock = () -> Instant.now().getEpochSecond();
        Ed25519CosignatureSigner signer = SignerKeyFile.load(settings.signingKey(), dir.resolve("cosigner.key"),
                settings.keyName(), k -> CosignatureKeys.parseSignerKey(k, clock),
                () -> Ed25519CosignatureSigner.generate(settings.keyName(), new SecureRandom(), clock),
                Ed25519CosignatureSigner::signerKey);
        return new Witness(signer, settings.trustedLogs(), WitnessStateStore.open(dir.resolve("state")));
    }

    /** Handles one {@code POST <submission prefix>/add-checkpoint} body (C2SP tlog-witness "add-checkpoint"). */
    public WitnessResponse addCheckpoint(byte[] body) {
        if (body.length > MAX_REQUEST_BYTES) {
            return WitnessResponse.refused(400, "request larger than " + MAX_REQUEST_BYTES + " bytes");
        }
        AddCheckpointRequest request;
        Note note;
        Checkpoint checkpoint;
        try {
            request = AddCheckpointRequest.parse(body);
            note = Note.parse(request.checkpoint());
            checkpoint = Checkpoint.parse(note.text());
        } catch (ProofException e) {
            return WitnessResponse.refused(400, e.getMessage());
        }
        VerifierSet keys = logs.get(checkpoint.origin());
        if (keys == null) {
            return WitnessResponse.refused(404, "unknown log origin");
        }
        VerifiedNote verified;
        try {
            verified = Notes.open(request.checkpoint(), keys);
        } catch (ProofException e) {
            return WitnessResponse.refused(403, e.getMessage());
        }
        if (request.oldSize() > checkpoint.size()) {
            return WitnessResponse.refused(400, "old size " + request.oldSize() + " exceeds checkpoint size "
                    + checkpoint.size());
        }
        synchronized (locks.computeIfAbsent(checkpoint.origin(), o -> new Object())) {
            Optional<CosignedCheckpoint> latest = store.latest(checkpoint.origin());
            long known = latest.map(c -> c.checkpoint().size()).orElse(0L);
            if (request.oldSize() != known) {
                return WitnessResponse.conflict(known);
            }
            Optional<String> inconsistency = inconsistency(request, checkpoint, latest);
            if (inconsistency.isPresent()) {
                inconsistent.increment();
                // Possible evidence of a split view (C2SP tlog-witness allows logging it): the signed checkpoint refused.
                LOG.warnf("refusing checkpoint of %s inconsistent with cosigned size %d: %s; submitted:%n%s",
                        checkpoint.origin(), known, inconsistency.get(),
                        new String(request.checkpoint(), StandardCharsets.UTF_8));
                return WitnessResponse.refused(422, inconsistency.get());
            }
            NoteSignature cosignature = new NoteSignature(signer.name(), signer.keyId(), signer.sign(note.textBytes()));
            store.write(new CosignedCheckpoint(checkpoint, new Note(note.text(), served(verified, cosignature))));
            cosigned.increment();
            return WitnessResponse.cosigned(cosignature.line());
        }
    }

    private static Optional<String> inconsistency(AddCheckpointRequest request, Checkpoint checkpoint,
            Optional<CosignedCheckpoint> latest) {
        if (checkpoint.size() == 0 && !Hashes.equal(checkpoint.rootHash(), Rfc9162Hasher.emptyRoot())) {
            return Optional.of("a checkpoint of size 0 must have the empty tree's root hash");
        }
        if (request.oldSize() == 0) {
            return request.consistencyProof().isEmpty() ? Optional.empty()
                    : Optional.of("consistency proof from size 0 must be empty");
        }
        try {
            // Equal sizes need equal roots and an empty proof; larger ones a valid RFC 6962 proof.
            Rfc9162Verifier.verifyConsistency(request.oldSize(), checkpoint.size(),
                    latest.orElseThrow().checkpoint().rootHash(), checkpoint.rootHash(), request.proofArray());
            return Optional.empty();
        } catch (ProofException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** The stored note: the log signatures the witness verified, then its own cosignature. */
    private static List<NoteSignature> served(VerifiedNote verified, NoteSignature cosignature) {
        List<NoteSignature> sigs = new ArrayList<>();
        for (NoteSignature s : verified.note().signatures()) {
            boolean trusted = verified.verifiedBy().stream().anyMatch(v -> v.name().equals(s.name()) && v.keyId() == s.keyId());
            if (trusted && !sigs.contains(s)) {
                sigs.add(s);
            }
        }
        sigs.add(cosignature);
        return sigs;
    }

    /**
     * The latest cosigned checkpoint of the log whose origin hashes to {@code originHashHex}
     * (C2SP tlog-witness "Monitor Retrieval Mechanism"): log signatures and this witness's cosignature.
     */
    public Optional<byte[]> checkpoint(String originHashHex) {
        return store.byOriginHash(originHashHex).map(c -> c.note().encode());
    }

    /** This witness's cosigner vkey (type 0x04). */
    public String verifierKey() {
        return signer.verifier().verifierKey();
    }

    /** Checkpoints cosigned since start. */
    public long cosignedCount() {
        return cosigned.sum();
    }

    /** Releases the state. */
    @Override
    public void close() {
        store.close();
    }

    /** Submissions refused with 422 since start: each one a log shown to be inconsistent with what was cosigned. */
    public long inconsistentCount() {
        return inconsistent.sum();
    }
}
