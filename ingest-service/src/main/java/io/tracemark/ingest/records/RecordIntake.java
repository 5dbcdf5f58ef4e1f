package io.tracemark.ingest.records;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracemark.contracts.anchor.AnchorRequest;
import io.tracemark.contracts.records.RecordContent;
import io.tracemark.edge.problem.Problem;
import io.tracemark.ingest.anchor.AnchorRequestPublisher;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.canonical.CanonicalJson;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The one intake path shared by HTTP and Kafka: validate, seal (canonicalise and hash), store in
 * bulk, then publish anchor requests in bulk.
 *
 * <p>Anchor requests are published for duplicates too: if a previous attempt stored the record and
 * crashed before publishing, the retry completes it, and attest ignores requests it already has.
 */
@ApplicationScoped
public class RecordIntake {
    private final Map<String, RecordType> types = new HashMap<>();
    private final RecordStore store;
    private final AnchorRequestPublisher anchors;
    private final List<BatchLinker> linkers = new ArrayList<>();
    private final List<IntakeCheck> checks = new ArrayList<>();
    private final VisibilityDefaults visibility;
    private final IntakeMetrics metrics;

    public RecordIntake(Instance<RecordType> types, Instance<BatchLinker> linkers, Instance<IntakeCheck> checks,
                        RecordStore store, AnchorRequestPublisher anchors, VisibilityDefaults visibility,
                        IntakeMetrics metrics) {
        this.visibility = visibility;
        types.forEach(t -> this.types.put(t.name(), t));
        linkers.forEach(this.linkers::add);
        checks.forEach(this.checks::add);
        this.store = store;
        this.anchors = anchors;
        this.metrics = metrics;
    }

    /** Whether a type name is one Tracemark accepts. */
    public boolean knowsType(String type) {
        return types.containsKey(type);
    }

    /** Validates one request without storing anything; the field errors, empty if it is valid. */
    public List<Problem.FieldError> check(IntakeRequest r) {
        RecordType type = types.get(r.type());
        Validation v = new Validation();
        if (type == null) {
            v.fail("/type", "type.unknown", "unknown record type '" + r.type() + "'; known: " + types.keySet());
        } else {
            type.validate(r, v);
        }
        return v.errors();
    }

    /** Accepts a batch of records for one tenant; one result per request, in order. */
    public List<IntakeResult> accept(String tenant, List<IntakeRequest> requests) {
        IntakeResult[] results = new IntakeResult[requests.size()];
        List<PendingRecord> pending = new ArrayList<>();
        List<Integer> pendingIndex = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            IntakeRequest r = requests.get(i);
            RecordType type = types.get(r.type());
            Validation v = new Validation();
            if (type == null) {
                v.fail("/type", "type.unknown", "unknown record type '" + r.type() + "'; known: " + types.keySet());
                results[i] = new IntakeResult.Invalid("validation", "Record is invalid", v.errors());
                continue;
            }
            ValidatedPayload valid = type.validate(r, v);
            if (r.visibility() != null && !RecordContent.isValid(r.visibility())) {
                v.fail("/visibility", "visibility.invalid", "visibility is public or private");
            }
            if (!v.ok()) {
                results[i] = new IntakeResult.Invalid("validation", "Record is invalid", v.errors());
                continue;
            }
            Envelope env;
            String hash;
            try {
                env = Envelope.seal(tenant, type.name(), valid.normalised());
                // The raw payload may hold members validation ignored; they must be I-JSON too.
                hash = requestHash(r);
            } catch (ProofException e) {
                v.fail("/payload", "json.not-i-json", e.getMessage());
                results[i] = new IntakeResult.Invalid("validation", "Record is invalid", v.errors());
                continue;
            }
            String key = r.idempotencyKey() == null ? env.id() : r.idempotencyKey();
            pending.add(new PendingRecord(env, key, hash, valid.indexFields(),
                    valid.naturalKey() == null ? env.id() : valid.naturalKey(),
                    r.visibility() == null ? visibility.of(type.name()) : r.visibility()));
            pendingIndex.add(i);
        }
        refuse(tenant, pending, pendingIndex, results);
        if (!pending.isEmpty()) {
            linkers.forEach(l -> l.link(tenant, pending));
        }
        // Each bulk write's anchor requests go out as soon as it is done, not after the whole poll is stored.
        store.storeAll(pending, (from, outcomes) -> {
            List<StoredRecord> toAnchor = new ArrayList<>();
            List<AnchorRequest.Content> contents = new ArrayList<>();
            for (int k = 0; k < outcomes.size(); k++) {
                RecordStore.Outcome o = outcomes.get(k);
                int j = from + k;
                int i = pendingIndex.get(j);
                if (o instanceof RecordStore.Stored s) {
                    results[i] = new IntakeResult.Accepted(s.record());
                    toAnchor.add(s.record());
                    contents.add(s.content());
                } else if (o instanceof RecordStore.Conflict c) {
                    results[i] = new IntakeResult.Conflict(c.existing());
                } else if (o instanceof RecordStore.Duplicate d) {
                    results[i] = types.get(pending.get(j).envelope().type()).registeredAgain(pending.get(j), d.existing());
                    if (results[i] instanceof IntakeResult.Accepted) {
                        toAnchor.add(d.existing());
                        contents.add(d.content());
                    }
                }
            }
            anchors.publish(toAnchor, contents);
        });
        for (int i = 0; i < results.length; i++) {
            metrics.counted(requests.get(i).type(), results[i]);
        }
        return List.of(results);
    }

    /** Takes the records the {@link IntakeCheck}s refuse out of {@code pending}, with their results. */
    private void refuse(String tenant, List<PendingRecord> pending, List<Integer> pendingIndex, IntakeResult[] results) {
        Map<Integer, IntakeResult.Invalid> refused = new HashMap<>();
        for (IntakeCheck c : checks) {
            if (refused.size() < pending.size()) {
                c.check(tenant, pending).forEach(refused::putIfAbsent);
            }
        }
        for (int j = pending.size() - 1; j >= 0; j--) {
            if (refused.containsKey(j)) {
                results[pendingIndex.get(j)] = refused.get(j);
                pending.remove(j);
                pendingIndex.remove(j);
            }
        }
    }

    /** Hash of the request as the client sent it, to tell a true retry from a reused key. */
    static String requestHash(IntakeRequest r) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("type", r.type());
        n.set("payload", r.payload());
        if (r.measured() != null) {
            n.set("measured", r.measured());
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(CanonicalJson.canonicalize(n)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
