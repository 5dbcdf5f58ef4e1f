package io.tracemark.verify.verification;

import io.tracemark.edge.problem.ProblemException;
import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.merkle.Rfc9162Verifier;
import io.tracemark.proofs.note.Note;
import io.tracemark.proofs.receipt.CheckCode;
import io.tracemark.verify.chain.LatestCheckpoint;
import io.tracemark.verify.chain.TrustPolicy;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.HexFormat;

/** The check that asks the ledger: is the receipt's checkpoint consistent with the latest one. */
@ApplicationScoped
public class LedgerChecks {
    private final LatestCheckpoint latestCheckpoint;

    public LedgerChecks(LatestCheckpoint latestCheckpoint) {
        this.latestCheckpoint = latestCheckpoint;
    }

    /**
     * {@code checkpoint.consistent}: the ledger's latest trusted checkpoint extends the receipt's signed
     * checkpoint note (RFC 9162 §2.1.4.2), so the receipt's tree was not forked away or rewritten.
     */
    public Check consistent(String checkpointNote, TrustPolicy.Snapshot trust) {
        String code = CheckCode.CHECKPOINT_CONSISTENT;
        if (checkpointNote == null) {
            return Check.skip(code, "the receipt has no readable checkpoint to compare");
        }
        Checkpoint mine;
        try {
            mine = Checkpoint.parse(Note.parse(checkpointNote.getBytes(StandardCharsets.UTF_8)).text());
        } catch (ProofException e) {
            return Check.fail(code, "checkpoint body is unreadable: " + e.code());
        }
        Checkpoint latest;
        try {
            latest = latestCheckpoint.verified(trust, mine.size());
        } catch (ProblemException e) {
            return Check.error(code, "the ledger is unreachable; consistency could not be checked");
        } catch (ProofException e) {
            if (ProofErrorCode.WITNESS_THRESHOLD.equals(e.errorCode())) {
                // Witnesses cosign a new checkpoint a moment after it is served: not a verdict on the receipt.
                return Check.error(code, "the ledger's latest checkpoint is not yet cosigned by "
                        + trust.witnesses().threshold() + " of the " + trust.witnesses().witnesses().size()
                        + " trusted witnesses; try again shortly (" + e.getMessage() + ")");
            }
            return Check.error(code, "the ledger's latest checkpoint did not verify: " + e.code());
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("latestTreeSize", latest.size());
        data.put("latestRoot", HexFormat.of().formatHex(latest.rootHash()));
        if (!trust.witnesses().witnesses().isEmpty()) {
            data.put("witnessedBy", latestCheckpoint.witnessedBy(trust, mine.size()));
        }
        if (latest.size() < mine.size()) {
            return Check.mismatch(code, "the receipt's checkpoint is larger than the ledger's latest",
                    "at most " + latest.size(), String.valueOf(mine.size())).with(data);
        }
        try {
            byte[][] proof = latest.size() == mine.size() ? new byte[0][]
                    : latestCheckpoint.consistencyProof(mine.size(), latest.size()).toArray(byte[][]::new);
            Rfc9162Verifier.verifyConsistency(mine.size(), latest.size(), mine.rootHash(), latest.rootHash(), proof);
        } catch (ProblemException e) {
            return Check.error(code, "the ledger could not serve a consistency proof").with(data);
        } catch (ProofException e) {
            String[] values = mismatchValues(e.getMessage());
            return new Check(code, Check.FAIL, "the ledger's latest checkpoint does not extend the receipt's: "
                    + e.code(), values[0], values[1], data);
        }
        return Check.pass(code, "the latest checkpoint (size " + latest.size() + ") extends the receipt's (size "
                + mine.size() + ")").with(data);
    }

    /** Pulls "expected X computed Y" hex out of a proofs mismatch message. */
    static String[] mismatchValues(String message) {
        int e = message.indexOf("expected ");
        int c = message.indexOf(" computed ");
        if (e < 0 || c < e) {
            return new String[] {null, null};
        }
        return new String[] {message.substring(e + 9, c), message.substring(c + 10).trim()};
    }
}
