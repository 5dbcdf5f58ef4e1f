package io.tracemark.ingest.http;

import io.tracemark.edge.problem.Problem;
import io.tracemark.ingest.records.IntakeResult;
import io.tracemark.ingest.records.StoredRecord;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns an intake result into the HTTP answer every intake endpoint gives. */
final class IntakeResponses {
    private IntakeResponses() {
    }

    static Response of(IntakeResult result) {
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
        IntakeResult.Invalid inv = (IntakeResult.Invalid) result;
        return Problem.of(inv.problemType(), 422, inv.title())
                .fields(inv.errors()).retriable(false).toResponse();
    }

    static Map<String, Object> body(StoredRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("type", r.type());
        m.put("digest", r.digest());
        m.put("status", r.status());
        m.put("receivedAt", r.receivedAt().toString());
        m.put("statusUrl", "/v1/records/" + r.id());
        return m;
    }
}
