package io.tracemark.ingest.http;

import io.tracemark.edge.auth.CurrentTenant;
import io.tracemark.edge.auth.RequiresRole;
import io.tracemark.edge.auth.Role;
import io.tracemark.edge.problem.Problem;
import io.tracemark.edge.problem.ProblemException;
import com.mongodb.client.model.Filters;
import io.tracemark.ingest.anchor.AnchoringStatus;
import io.tracemark.ingest.epcis.EpcisEventType;
import io.tracemark.contracts.records.RecordContent;
import io.tracemark.ingest.product.ProductBatchType;
import io.tracemark.ingest.records.RecordErasure;
import org.eclipse.microprofile.openapi.annotations.Operation;
import io.tracemark.ingest.records.RecordStore;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.bson.Document;

import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tenant's view of its own records, including the canonical bytes that were hashed. The status is derived
 * ({@link AnchoringStatus}): {@code anchored} with {@code anchoring} once the ledger shows the record's leaf
 * in a sealed block, else the stored {@code accepted}; {@code statusSource} says whether the ledger answered.
 */
@Path("/v1/records")
@RequiresRole(Role.READ)
@Blocking
public class RecordStatusResource {
    @Inject
    RecordStore store;
    @Inject
    CurrentTenant tenant;
    @Inject
    AnchoringStatus anchoring;
    @Inject
    RecordErasure erasure;

    /** The stored record with its digest, salt, canonical envelope and derived status. */
    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> get(@PathParam("id") String id) {
        Map<String, Object> m = view(store.find(tenant.tenant(), id).orElseThrow(() -> new ProblemException(
                Problem.of("not-found", 404, "No such record").detail("No record " + id + " for this tenant.").build())));
        if (EpcisEventType.NAME.equals(m.get("type")) || ProductBatchType.NAME.equals(m.get("type"))) {
            // Supersession (an error declaration, a batch's amendment) lives on the later record only; the earlier one
            // is never edited.
            m.put("supersededBy", store.findAll(tenant.tenant(), Filters.eq("keys.supersedes", id), 100).stream()
                    .map(d -> d.getString("_id")).toList());
        }
        return m;
    }

    /**
     * Erases the record's content (canonical text and salt) everywhere Tracemark keeps it, leaving digest, keys,
     * anchoring and a tombstone; the receipt keeps proving that a record with this digest existed.
     */
    @DELETE
    @Path("/{id}/content")
    @RequiresRole(Role.WRITE)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Erase a record's content", description = "Removes the canonical text and salt from the record "
            + "store, the events and webhook message logs; digest, leaf and receipt stay, and verification reports the "
            + "content as erased. Idempotent.")
    public Map<String, Object> erase(@PathParam("id") String id) {
        return view(erasure.erase(tenant.tenant(), id, tenant.principal().keyId()).orElseThrow(() -> new ProblemException(
                Problem.of("not-found", 404, "No such record").detail("No record " + id + " for this tenant.").build())));
    }

    /** Finds the record a tenant submitted under an idempotency key (e.g. one published to Kafka). */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> byIdempotencyKey(@QueryParam("idempotencyKey") String key) {
        if (key == null || key.isBlank()) {
            throw new ProblemException(Problem.of("validation", 422, "Query is invalid")
                    .field("/query/idempotencyKey", "idempotency-key.required", "idempotencyKey is required").build());
        }
        return view(store.findByIdempotencyKey(tenant.tenant(), key).orElseThrow(() -> new ProblemException(
                Problem.of("not-found", 404, "No such record").detail("No record with that idempotency key.").build())));
    }

    private Map<String, Object> view(Document d) {
        AnchoringStatus.State state = anchoring.of(d);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.getString("_id"));
        m.put("type", d.getString("type"));
        m.put("digest", d.getString("digest"));
        m.put("status", state.status());
        m.put("statusSource", state.statusSource());
        m.put("anchoring", state.anchoring());
        m.put("receivedAt", d.getDate("receivedAt").toInstant().toString());
        m.put("visibility", d.getString(RecordContent.VISIBILITY));
        m.put("salt", d.getString(RecordContent.SALT));
        m.put("canonical", d.getString(RecordContent.CANONICAL));
        if (d.get(RecordContent.ERASED_AT) instanceof Date erased) {
            m.put("erased", Map.of("erasedAt", erased.toInstant().toString(), "erasedBy", d.getString(RecordContent.ERASED_BY)));
        }
        m.put("idempotencyKey", d.getString("idempotencyKey"));
        m.put("keys", d.get("keys", Document.class));
        return m;
    }
}
