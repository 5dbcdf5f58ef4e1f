package io.tracemark.ingest.product;

import io.smallrye.common.annotation.Blocking;
import io.tracemark.edge.auth.CurrentTenant;
import io.tracemark.edge.auth.RequiresRole;
import io.tracemark.edge.auth.Role;
import io.tracemark.edge.problem.Problem;
import io.tracemark.edge.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.LinkedHashMap;
import java.util.Map;

/** A tenant's view of a batch's lineage: the batches it was made from, and those made from it. */
@Path("/v1/products/batches/{gtin}/{lot: .+}/lineage")
@RequiresRole(Role.READ)
@Blocking
public class LineageResource {
    @Inject
    BatchLineage lineage;
    @Inject
    CurrentTenant tenant;

    /** Ancestors and descendants of a batch, each with its generation distance and record ids. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> get(@PathParam("gtin") String gtin, @PathParam("lot") String lot) {
        String g;
        try {
            g = Gs1.normaliseGtin(gtin);
        } catch (IllegalArgumentException e) {
            String[] parts = e.getMessage().split(": ", 2);
            throw new ProblemException(Problem.of("validation", 422, "Batch identity is invalid")
                    .field("/path/gtin", parts[0], parts[1]).retriable(false).build());
        }
        if (!Gs1.isValidLot(lot)) {
            throw new ProblemException(Problem.of("validation", 422, "Batch identity is invalid")
                    .field("/path/lot", "lot.invalid", "lot is 1 to 20 characters from the GS1 AI 82 character set")
                    .retriable(false).build());
        }
        BatchLineage.Lineage l = lineage.of(tenant.tenant(), new BatchLineage.Node(g, lot));
        if (l.recordIds().isEmpty() && l.descendants().isEmpty()) {
            throw new ProblemException(Problem.of("not-found", 404, "No such batch")
                    .detail("No batch " + g + " lot " + lot + " for this tenant.").build());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gtin", g);
        m.put("lot", lot);
        m.put("recordIds", l.recordIds());
        m.put("ancestors", l.ancestors());
        m.put("descendants", l.descendants());
        m.put("truncated", l.truncated());
        return m;
    }
}
