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
import io.tracemark.contracts.http.ApiContractFilter;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import java.util.Date;

/**
 * A tenant's view of its own records, including the canonical bytes that were hashed. The status is derived
 * ({@link AnchoringStatus}): {@code anchored} with {@code anchoring} once the ledger shows the record's leaf
 * in a sealed block, else the stored {@code accepted}; {@code statusSource} says whether the ledger answered.
 */
@Tag(name = "records", description = "A tenant's own records and their anchoring status")
@Path("/v1/records")
@RequiresRole(Role.READ)
@SecurityRequirement(name = ApiContractFilter.SECURITY_SCHEME)
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
    @Operation(operationId = "getRecord", summary = "One of the tenant's records",
            description = "Digest, salt, canonical envelope and the anchoring status derived from the ledger.")
    @APIResponse(responseCode = "200", description = "The record",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RecordView.class)))
    @APIResponse(responseCode = "404", description = "No such record for this tenant (type not-found)")
    public RecordView get(@PathParam("id") String id) {
        RecordView v = view(store.find(tenant.tenant(), id).orElseThrow(() -> new ProblemException(
                Problem.of("not-found", 404, "No such record").detail("No record " + id + " for this tenant.").build())));
        if (EpcisEventType.NAME.equals(v.type()) || ProductBatchType.NAME.equals(v.type())) {
            // Supersession (an error declaration, a batch's amendment) lives on the later record only; the earlier one
            // is never edited.
            v = v.withSupersededBy(store.findAll(tenant.tenant(), Filters.eq("keys.supersedes", id), 100).stream()
                    .map(d -> d.getString("_id")).toList());
        }
        return v;
    }

    /**
     * Erases the record's content (canonical text and salt) everywhere Tracemark keeps it, leaving digest, keys,
     * anchoring and a tombstone; the receipt keeps proving that a record with this digest existed.
     */
    @DELETE
    @Path("/{id}/content")
    @RequiresRole(Role.WRITE)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "eraseRecordContent", summary = "Erase a record's content", description = "Removes the "
            + "canonical text and salt from the record store, the events and webhook message logs; digest, leaf and receipt "
            + "stay, and verification reports the content as erased. Idempotent.")
    @APIResponse(responseCode = "200", description = "The record as it is now, with its tombstone",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RecordView.class)))
    @APIResponse(responseCode = "404", description = "No such record for this tenant (type not-found)")
    public RecordView erase(@PathParam("id") String id) {
        return view(erasure.erase(tenant.tenant(), id, tenant.principal().keyId()).orElseThrow(() -> new ProblemException(
                Problem.of("not-found", 404, "No such record").detail("No record " + id + " for this tenant.").build())));
    }

    /** Finds the record a tenant submitted under an idempotency key (e.g. one published to Kafka). */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "findRecordByIdempotencyKey", summary = "The record submitted under an Idempotency-Key",
            description = "E.g. for a record published to Kafka with that key.")
    @APIResponse(responseCode = "200", description = "The record",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RecordView.class)))
    @APIResponse(responseCode = "404", description = "No record with that key (type not-found)")
    @APIResponse(responseCode = "422", description = "idempotencyKey is missing (type validation)")
    public RecordView byIdempotencyKey(@Parameter(required = true, example = "order-4711-batch-1")
                                                @QueryParam("idempotencyKey") String key) {
        if (key == null || key.isBlank()) {
            throw new ProblemException(Problem.of("validation", 422, "Query is invalid")
                    .field("/query/idempotencyKey", "idempotency-key.required", "idempotencyKey is required").build());
        }
        return view(store.findByIdempotencyKey(tenant.tenant(), key).orElseThrow(() -> new ProblemException(
                Problem.of("not-found", 404, "No such record").detail("No record with that idempotency key.").build())));
    }

    private RecordView view(Document d) {
        AnchoringStatus.State state = anchoring.of(d);
        RecordView.Erased erased = d.get(RecordContent.ERASED_AT) instanceof Date at
                ? new RecordView.Erased(at.toInstant().toString(), d.getString(RecordContent.ERASED_BY)) : null;
        return new RecordView(d.getString("_id"), d.getString("type"), d.getString("digest"), state.status(),
                state.statusSource(), state.anchoring(), d.getDate("receivedAt").toInstant().toString(),
                d.getString(RecordContent.VISIBILITY), d.getString(RecordContent.SALT), d.getString(RecordContent.CANONICAL),
                erased, d.getString("idempotencyKey"), d.get("keys", Document.class), null);
    }
}
