package io.tracemark.verify.verification;

import io.tracemark.edge.problem.ProblemException;
import io.tracemark.proofs.receipt.CheckCode;
import io.tracemark.verify.claims.ClaimFinder;
import io.tracemark.verify.claims.WorkIndexFeed;
import io.tracemark.verify.receipts.RecordsView;
import io.tracemark.verify.records.Registration;
import io.tracemark.verify.records.Registrations;
import io.tracemark.verify.resolver.BatchIndexFeed;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;

import java.util.List;
import java.util.Map;

/**
 * Checks against the registry: whether the record's content is still there, whether the record was superseded,
 * and whether someone registered the work first.
 */
@ApplicationScoped
public class RegistryChecks {
    private final RecordsView view;
    private final Registrations registrations;
    private final ClaimFinder claims;
    private final BatchIndexFeed batches;
    private final RegistryFacts facts;

    public RegistryChecks(RecordsView view, Registrations registrations, ClaimFinder claims, BatchIndexFeed batches,
                          RegistryFacts facts) {
        this.view = view;
        this.facts = facts;
        this.registrations = registrations;
        this.claims = claims;
        this.batches = batches;
    }

    /** The registry checks of a record, reading the stored record at most once ({@link RegistryFacts}). */
    public List<Check> checks(String recordId, String type, int threshold) {
        Document stored = facts.of(recordId).orElse(null);
        return List.of(content(stored), superseded(recordId, stored), priorClaim(recordId, type, stored, threshold));
    }

    /**
     * {@code record.content}: says when the registrant erased the record's content or keeps it private, since the
     * receipt then proves the digest alone and the caller must supply the text to prove what it says.
     */
    Check content(Document stored) {
        String code = CheckCode.RECORD_CONTENT;
        if (stored == null) {
            return Check.skip(code, "this service does not hold the record");
        }
        Registration r = new Registration(stored, null);
        return switch (r.content()) {
            case Registration.ERASED -> Check.warn(code, "the registrant erased the record's content at " + r.erasedAt()
                    + "; the receipt proves only that a record with this digest existed; whoever kept its text can prove it")
                    .with(Map.of("erasedAt", String.valueOf(r.erasedAt())));
            case Registration.PRIVATE -> Check.pass(code, "the record's content is private; supply its canonical text to "
                    + "prove what it says");
            default -> Check.pass(code, "the record's content is public");
        };
    }

    /**
     * {@code record.superseded}: warns when a later record (an EPCIS error declaration) declares in
     * {@code keys.supersedes} that it replaces this record; {@code stored} is this service's copy, if any. The
     * resolver's in-memory index answers; while it is being built, ingest's {@code supersessions} lookup does.
     */
    Check superseded(String recordId, Document stored) {
        String code = CheckCode.RECORD_SUPERSEDED;
        if (stored == null) {
            return Check.skip(code, "this service does not hold the record, so it cannot know of corrections");
        }
        List<Registration> by;
        try {
            List<String> ids = supersederIds(recordId);
            by = ids.isEmpty() ? List.of() : registrations.load(view.oldestFirst(ids));
        } catch (ProblemException e) {
            return ledgerUnreachable(code);
        }
        if (by.isEmpty()) {
            return Check.pass(code, "no record supersedes this one");
        }
        return Check.warn(code, "superseded by " + by.get(0).recordId() + "; the proof still holds for the original")
                .with(Map.of("supersededBy", by.stream().map(Registration::toJson).toList()));
    }

    /**
     * {@code claim.prior.exists}: for a media work, warns when another registrant anchored the same file
     * (or a near-duplicate) before this record.
     */
    Check priorClaim(String recordId, String type, Document stored, int threshold) {
        String code = CheckCode.CLAIM_PRIOR;
        if (!RecordsView.MEDIA_WORK.equals(type)) {
            return Check.skip(code, "only media works carry copyright claims");
        }
        Document keys = stored != null && stored.get("keys") instanceof Document k ? k : null;
        if (keys == null || keys.getString("sha256") == null) {
            return Check.skip(code, "this service holds no fingerprint of the work");
        }
        String phash = keys.getString("phash");
        ClaimFinder.Result found;
        try {
            found = claims.find(keys.getString("sha256"),
                    phash != null && phash.matches("[0-9a-f]{16}") ? Long.parseUnsignedLong(phash, 16) : null, threshold, null);
        } catch (ProblemException e) {
            return ledgerUnreachable(code);
        } catch (WorkIndexFeed.IndexLoading e) {
            return Check.error(code, "the index of registered works is still being built; verify again shortly");
        }
        ClaimFinder.Match first = found.priority();
        if (first == null || first.registration().recordId().equals(recordId)
                || first.registration().tenant().equals(stored.getString("tenant"))) {
            return Check.pass(code, "no other registrant registered this work earlier");
        }
        return Check.warn(code, "registrant " + first.registration().tenant() + " registered this work ("
                        + first.kind() + ") earlier as " + first.registration().recordId())
                .with(Map.of("prior", first.registration().toJson()));
    }

    private List<String> supersederIds(String recordId) {
        try {
            return batches.index().supersedersOf(recordId);
        } catch (BatchIndexFeed.IndexLoading e) {
            return view.supersederIds(recordId);
        }
    }

    /** Which registrations are anchored is the ledger's to say; unreachable, the check cannot decide. */
    private static Check ledgerUnreachable(String code) {
        return Check.error(code, "the ledger is unreachable; the registrations' anchoring could not be read");
    }
}
