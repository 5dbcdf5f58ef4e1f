package io.tracemark.verify.claims;

import io.tracemark.proofs.media.PerceptualHash;
import io.tracemark.verify.receipts.RecordsView;
import io.tracemark.verify.records.Registration;
import io.tracemark.verify.records.Registrations;
import io.tracemark.verify.metrics.VerifyMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the registered works a claim is about: exact matches by file SHA-256, near-duplicates by pHash
 * (multi-index candidates, then exact Hamming distance), and decides priority: the earliest anchored
 * registration wins, since its time is proven by the log rather than claimed.
 */
@ApplicationScoped
public class ClaimFinder {
    private final RecordsView view;
    private final Registrations registrations;
    private final int maxCandidates;
    private final VerifyMetrics metrics;

    public ClaimFinder(RecordsView view, Registrations registrations,
                       @ConfigProperty(name = "tracemark.verify.claims.max-candidates") int maxCandidates,
                       VerifyMetrics metrics) {
        this.view = view;
        this.registrations = registrations;
        this.maxCandidates = maxCandidates;
        this.metrics = metrics;
    }

    /** A registration that matched, with its Hamming distance (0 for an exact file match). */
    public record Match(Registration registration, String kind, Integer distance) {
        Map<String, Object> toJson() {
            Map<String, Object> m = registration.toJson();
            m.put("match", kind);
            if (distance != null) {
                m.put("distance", distance);
            }
            return m;
        }
    }

    /** The answer to a claim query. */
    public record Result(List<Match> exact, List<Match> near, String claimant, int candidatesExamined,
                         boolean candidatesTruncated) {
        /** The registration with priority: earliest anchored, or earliest received if none is anchored yet. */
        public Match priority() {
            List<Match> all = new ArrayList<>(exact);
            all.addAll(near);
            return all.stream().min((a, b) -> Registration.PRIORITY.compare(a.registration(), b.registration())).orElse(null);
        }

        /** JSON body: matches, priority, whether the claimant holds it, and conflicting registrants. */
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("exactMatches", exact.stream().map(Match::toJson).toList());
            m.put("nearDuplicates", near.stream().map(Match::toJson).toList());
            Match p = priority();
            m.put("priority", p == null ? null : p.toJson());
            m.put("priorityProven", p != null && p.registration().anchored());
            if (claimant != null) {
                m.put("claimant", claimant);
                m.put("claimantHasPriority", p != null && claimant.equals(p.registration().tenant()));
            }
            List<Map<String, Object>> conflicts = new ArrayList<>();
            if (p != null) {
                for (Match x : concat()) {
                    if (!p.registration().tenant().equals(x.registration().tenant())) {
                        conflicts.add(x.toJson());
                    }
                }
            }
            m.put("conflicts", conflicts);
            m.put("candidatesExamined", candidatesExamined);
            if (candidatesTruncated) {
                // Said out loud: past the cap some near-duplicates may be missing from this answer.
                m.put("candidatesTruncated", true);
            }
            return m;
        }

        private List<Match> concat() {
            List<Match> all = new ArrayList<>(exact);
            all.addAll(near);
            return all;
        }
    }

    /** Matches for a file SHA-256 and/or pHash; either may be null. Timed by what was asked and found. */
    public Result find(String sha256, Long phash, int threshold, String claimant) {
        long start = System.nanoTime();
        Result r = search(sha256, phash, threshold, claimant);
        metrics.claimLookup(sha256 != null, phash != null, r.exact().size(), r.near().size(), System.nanoTime() - start);
        return r;
    }

    private Result search(String sha256, Long phash, int threshold, String claimant) {
        List<Match> exact = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        if (sha256 != null) {
            List<Document> works = view.bySha256(sha256).stream()
                    .filter(d -> RecordsView.MEDIA_WORK.equals(d.getString("type"))).toList();
            for (Registration r : registrations.load(works)) {
                Long own = phashOf(r.record());
                exact.add(new Match(r, "exact", phash == null || own == null ? 0 : PerceptualHash.distance(phash, own)));
                seen.add(r.recordId());
            }
        }
        List<Match> near = new ArrayList<>();
        int examined = 0;
        if (phash != null) {
            List<Document> candidates = view.byPhashChunks(PhashChunks.probes(phash, threshold), maxCandidates);
            examined = candidates.size();
            List<String> close = new ArrayList<>();
            for (Document c : candidates) {
                Long own = phashOf(c);
                if (own != null && !seen.contains(c.getString("_id")) && PerceptualHash.distance(phash, own) <= threshold) {
                    close.add(c.getString("_id"));
                }
            }
            for (Registration r : registrations.load(view.records(close))) {
                near.add(new Match(r, "near-duplicate", PerceptualHash.distance(phash, phashOf(r.record()))));
            }
        }
        return new Result(exact, near, claimant, examined, examined >= maxCandidates);
    }

    /** The stored pHash of a media work, if it has one. */
    static Long phashOf(Document record) {
        Object keys = record.get("keys");
        if (keys instanceof Document k && k.get("phash") instanceof String hex && hex.matches("[0-9a-f]{16}")) {
            return PerceptualHash.parse(hex);
        }
        return null;
    }
}
