package io.tracemark.attest.claims;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracemark.attest.ledger.ChainNodeClient;
import io.tracemark.contracts.Json;
import io.tracemark.contracts.events.Event;
import io.tracemark.contracts.events.EventTypes;
import io.tracemark.contracts.ledger.LeafPosition;
import io.tracemark.proofs.media.PerceptualHash;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who registered a work first: the registration whose leaf comes first in the log, the order nobody can rewrite
 * and {@code /v1/claims/verify} uses too. When a media work is anchored, the earliest anchored registration of the
 * same or a near-duplicate work decides: if it is another tenant's, both parties get a {@code claim.conflict},
 * each from its own side; if it is the registrant's own, the new record is a re-registration and conflicts with
 * nobody. Leaves are sealed in order, so every registration before the new one is in a sealed block already.
 */
@ApplicationScoped
public class ClaimPriority {
    /** {@code data.side} of the event the later registrant gets. */
    public static final String LATER = "later";
    /** {@code data.side} of the event the earlier registrant gets. */
    public static final String EARLIER = "earlier";

    private final WorkMatches matches;
    private final ChainNodeClient chain;

    public ClaimPriority(WorkMatches matches, ChainNodeClient chain) {
        this.matches = matches;
        this.chain = chain;
    }

    /** A media work's record just anchored at {@code leafIndex}. */
    public record Anchored(String recordId, long leafIndex, Instant anchoredAt) {
    }

    /** The conflict events the anchoring of {@code anchored} raises, for both parties of each conflict. */
    public List<Event> conflicts(List<Anchored> anchored) {
        Map<String, WorkMatches.Work> works = matches.works(anchored.stream().map(Anchored::recordId).toList());
        if (works.isEmpty()) {
            return List.of();
        }
        Map<String, WorkMatches.Work> candidates = matches.candidates(works.values());
        Map<String, Optional<Long>> leaves = new HashMap<>();
        List<Event> out = new ArrayList<>();
        for (Anchored a : anchored) {
            WorkMatches.Work w = works.get(a.recordId());
            if (w == null) {
                continue;
            }
            WorkMatches.Work first = null;
            long firstLeaf = a.leafIndex();
            for (WorkMatches.Work c : candidates.values()) {
                if (c.id().equals(w.id()) || !w.matches(c)) {
                    continue;
                }
                Optional<Long> leaf = leaves.computeIfAbsent(c.digest(), d -> chain.leaf(d).map(LeafPosition::index));
                if (leaf.isPresent() && (leaf.get() < firstLeaf)) {
                    first = c;
                    firstLeaf = leaf.get();
                }
            }
            if (first != null && !first.tenant().equals(w.tenant())) {
                out.add(later(w, a, first, firstLeaf));
                out.add(earlier(first, firstLeaf, w, a));
            }
        }
        return out;
    }

    /** To the later registrant: an earlier registration exists. */
    private static Event later(WorkMatches.Work w, Anchored a, WorkMatches.Work first, long firstLeaf) {
        ObjectNode data = common(w, a.leafIndex(), first, LATER, "an earlier registration exists")
                .put("earlierRecordId", first.id()).put("earlierTenant", first.tenant()).put("earlierLeafIndex", firstLeaf);
        return new Event(Event.idOf(EventTypes.CLAIM_CONFLICT, w.id()), EventTypes.CLAIM_CONFLICT, a.anchoredAt(),
                w.tenant(), List.of(), w.sha256(), data);
    }

    /** To the earlier registrant: a later registration resembles its work. */
    private static Event earlier(WorkMatches.Work first, long firstLeaf, WorkMatches.Work w, Anchored a) {
        ObjectNode data = common(first, firstLeaf, w, EARLIER, "a later registration resembles your work")
                .put("laterRecordId", w.id()).put("laterTenant", w.tenant()).put("laterLeafIndex", a.leafIndex());
        return new Event(Event.idOf(EventTypes.CLAIM_CONFLICT, w.id() + ">" + first.id()), EventTypes.CLAIM_CONFLICT,
                a.anchoredAt(), first.tenant(), List.of(), first.sha256(), data);
    }

    private static ObjectNode common(WorkMatches.Work own, long ownLeaf, WorkMatches.Work other, String side, String message) {
        boolean exact = own.sha256().equals(other.sha256());
        ObjectNode data = Json.MAPPER.createObjectNode().put("recordId", own.id()).put("sha256", own.sha256())
                .put("leafIndex", ownLeaf).put("side", side).put("message", message).put("match", exact ? "sha256" : "phash");
        if (!exact) {
            data.put("hammingDistance", PerceptualHash.distance(own.phash(), other.phash()));
        }
        return data;
    }
}
