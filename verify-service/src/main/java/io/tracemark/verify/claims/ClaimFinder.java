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
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the registered works a claim is about: exact matches by file SHA-256 and near-duplicates by pHash
 * Hamming distance, both from the in-memory {@link WorkIndex}, then loads only the matches from the store and
 * decides priority: the earliest anchored registration wins, since its time is proven by the log rather than claimed.
 */
@ApplicationScoped
public class ClaimFinder {
    private final RecordsView view;
    private final Registrations registrations;
    private final WorkIndexFeed feed;
    private final int maxMatches;
    private final VerifyMetrics metrics;

    public ClaimFinder(RecordsView view, Registrations registrations, WorkIndexFeed feed,
                       @ConfigProperty(name = "tracemark.verify.claims.max-matches") int maxMatches,
                       VerifyMetrics metrics) {
        this.view = view;
        this.registrations = registrations;
        this.feed = feed;
        this.maxMatches = maxMatches;
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
                // Said out loud: past the cap the farthest near-duplicates are missing from this answer.
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
        WorkIndex index = feed.index();
        List<String> exactIds = sha256 == null ? List.of() : index.bySha256(sha256);
        WorkIndex.Near near = phash == null ? new WorkIndex.Near(List.of(), 0) : index.near(phash, threshold);
        Map<String, Integer> nearIds = new LinkedHashMap<>();
        boolean truncated = false;
        for (WorkIndex.Hit h : near.hits()) {
            if (exactIds.contains(h.recordId())) {
                continue;
            }
            if (nearIds.size() + exactIds.size() >= maxMatches) {
                truncated = true;
                break;
            }
            nearIds.put(h.recordId(), h.distance());
        }
        // The matches are known: one read by _id loads them all (a work whose record is gone from this store is no match).
        Set<String> ids = new LinkedHashSet<>(exactIds);
        ids.addAll(nearIds.keySet());
        List<Match> exact = new ArrayList<>();
        List<Match> close = new ArrayList<>();
        for (Registration r : registrations.load(view.records(ids))) {
            Document d = r.record();
            if (!RecordsView.MEDIA_WORK.equals(d.getString("type"))) {
                continue;
            }
            Long own = phashOf(d);
            if (exactIds.contains(r.recordId()) && d.get("keys") instanceof Document k && sha256.equals(k.getString("sha256"))) {
                exact.add(new Match(r, "exact", phash == null || own == null ? 0 : PerceptualHash.distance(phash, own)));
            } else if (nearIds.containsKey(r.recordId()) && own != null && PerceptualHash.distance(phash, own) <= threshold) {
                close.add(new Match(r, "near-duplicate", PerceptualHash.distance(phash, own)));
            }
        }
        return new Result(exact, close, claimant, near.examined(), truncated);
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
