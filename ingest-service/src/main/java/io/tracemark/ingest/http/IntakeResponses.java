package io.tracemark.ingest.http;

import io.tracemark.edge.problem.Problem;
import io.tracemark.ingest.records.IntakeResult;
import io.tracemark.ingest.records.StoredRecord;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns an intake result into the HTTP answer every intake endpoint gives. */
public final class IntakeResponses {
    private IntakeResponses() {
    }

    /** 201 (new), 200 (retry), 409 (key reused, duplicate record, or a batch's facts changed undeclared) or 422 (invalid). */
    public static Response of(IntakeResult result) {
        if (result instanceof IntakeResult.Accepted a) {
            StoredRecord r = a.record();
            return Response.status(r.duplicate() ? 200 : 201)
                    .location(URI.create("/v1/records/" + r.id()))
                    .entity(body(r))
                    .build();
        }
        if (result instanceof IntakeResult.Conflict c) {
            return Problem.of("idempotency-conflict", 409, "Idempotency-Key already used for a different request")
                    .detail("Record " + c.existing().id() + " was created with this key and another body.")
                    .instance("/v1/records/" + c.existing().id())
                    .retriable(false).toResponse();
        }
        if (result instanceof IntakeResult.Duplicate d) {
            return duplicate(d.existing());
        }
        if (result instanceof IntakeResult.FactsDiffer f) {
            return withExisting(factsDifferProblem(f.existing()), f.existing());
        }
        IntakeResult.Invalid inv = (IntakeResult.Invalid) result;
        return Problem.of(inv.problemType(), 422, inv.title())
                .fields(inv.errors()).retriable(false).toResponse();
    }

    /** The problem for a record the tenant already has, with that record as extension member {@code existing}. */
    public static Response duplicate(StoredRecord existing) {
        return withExisting(duplicateProblem(existing), existing);
    }

    private static Response withExisting(Problem p, StoredRecord existing) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", p.type());
        m.put("title", p.title());
        m.put("status", p.status());
        m.put("detail", p.detail());
        m.put("instance", p.instance());
        m.put("retriable", p.retriable());
        m.put("existing", body(existing));
        return Response.status(409).type(MediaType.valueOf(Problem.MEDIA_TYPE))
                .location(URI.create("/v1/records/" + existing.id())).entity(m).build();
    }

    /** RFC 9457 problem naming the existing record a duplicate collided with. */
    public static Problem duplicateProblem(StoredRecord existing) {
        return Problem.of("duplicate-record", 409, "This record is already registered")
                .detail("Record " + existing.id() + " of type " + existing.type() + " is the same record.")
                .instance("/v1/records/" + existing.id())
                .retriable(false).build();
    }

    /** RFC 9457 problem for a GTIN and lot registered again with other facts and no {@code supersedes}. */
    public static Problem factsDifferProblem(StoredRecord existing) {
        return Problem.of("batch-facts-differ", 409, "This GTIN and lot are registered with other facts")
                .detail("Record " + existing.id() + " registered them first. To amend it, send the new facts with "
                        + "\"supersedes\": \"" + existing.id() + "\"; both stay on the public history.")
                .instance("/v1/records/" + existing.id())
                .retriable(false).build();
    }

    /** The JSON summary of a stored record every intake endpoint returns. */
    public static RecordAccepted body(StoredRecord r) {
        return RecordAccepted.of(r);
    }
}
