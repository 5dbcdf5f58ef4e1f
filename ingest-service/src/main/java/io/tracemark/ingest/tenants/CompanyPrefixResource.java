package io.tracemark.ingest.tenants;

import io.smallrye.common.annotation.Blocking;
import io.tracemark.contracts.gs1.Gtin14;
import io.tracemark.edge.auth.ApiKeyStore;
import io.tracemark.edge.auth.RequiresRole;
import io.tracemark.edge.auth.Role;
import io.tracemark.edge.problem.Problem;
import io.tracemark.edge.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.ArrayList;
import java.util.List;

/**
 * Operator endpoints (admin key only): the GS1 Company Prefixes a tenant may register product batches and EPCIS
 * events under. The operator checks the tenant's GS1 licence before declaring them; Tracemark cannot.
 */
@Path("/v1/admin/tenants/{tenant}/company-prefixes")
@RequiresRole(Role.ADMIN)
@Blocking
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
public class CompanyPrefixResource {
    private static final int MAX_PREFIXES = 1000;

    @Inject
    TenantDirectory directory;

    /** Request and response body. */
    public record CompanyPrefixes(String tenant, List<String> companyPrefixes) {
    }

    /** The prefixes a tenant declared (an empty list when none). */
    @GET
    @Operation(operationId = "getCompanyPrefixes", summary = "A tenant's GS1 Company Prefixes")
    @APIResponse(responseCode = "200", description = "The declared prefixes (an empty list when none)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CompanyPrefixes.class)))
    @APIResponse(responseCode = "404", description = "No such tenant (type not-found)")
    public CompanyPrefixes get(@PathParam("tenant") String tenant) {
        checkTenantId(tenant);
        TenantDirectory.Tenant t = directory.read(tenant);
        if (!t.known()) {
            throw new ProblemException(Problem.of("not-found", 404, "No such tenant").retriable(false).build());
        }
        return new CompanyPrefixes(tenant, t.companyPrefixes());
    }

    /** Replaces a tenant's prefixes; sets the tenant up if it was not yet. */
    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "declareCompanyPrefixes", summary = "Declare a tenant's GS1 Company Prefixes", description = "Replaces the list. A product batch or "
            + "EPCIS event naming a GTIN outside them is refused (gtin-not-owned) or, where the operator allows it, marked "
            + "as not registered by the brand owner.")
    @APIResponse(responseCode = "200", description = "The prefixes now declared",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CompanyPrefixes.class)))
    @APIResponse(responseCode = "422", description = "A prefix is not 4 to 12 digits, or there are too many (type validation)")
    public CompanyPrefixes put(@PathParam("tenant") String tenant,
                               @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                       schema = @Schema(implementation = CompanyPrefixes.class),
                                       examples = @ExampleObject(name = "prefixes",
                                               value = "{\"companyPrefixes\":[\"4006381\",\"9506000\"]}")))
                               CompanyPrefixes body) {
        checkTenantId(tenant);
        if (body == null || body.companyPrefixes() == null) {
            throw new ProblemException(invalid().field("/companyPrefixes", "company-prefixes.required",
                    "companyPrefixes is a list of prefixes").build());
        }
        Problem.Builder p = invalid();
        boolean bad = body.companyPrefixes().size() > MAX_PREFIXES;
        if (bad) {
            p.field("/companyPrefixes", "company-prefixes.too-many", "at most " + MAX_PREFIXES + " prefixes");
        }
        List<String> prefixes = new ArrayList<>();
        for (int i = 0; i < body.companyPrefixes().size(); i++) {
            String prefix = body.companyPrefixes().get(i);
            if (!Gtin14.isCompanyPrefix(prefix)) {
                p.field("/companyPrefixes/" + i, "company-prefix.invalid", "a GS1 Company Prefix has 4 to 12 digits");
                bad = true;
            } else if (!prefixes.contains(prefix)) {
                prefixes.add(prefix);
            }
        }
        if (bad) {
            throw new ProblemException(p.build());
        }
        return new CompanyPrefixes(tenant, directory.declareCompanyPrefixes(tenant, prefixes).companyPrefixes());
    }

    private static void checkTenantId(String tenant) {
        if (!ApiKeyStore.TENANT_ID.matcher(tenant).matches()) {
            throw new ProblemException(Problem.of("validation", 422, "Tenant id is invalid").retriable(false)
                    .field("/tenant", "tenant.invalid", "tenant ids match " + ApiKeyStore.TENANT_ID.pattern()).build());
        }
    }

    private static Problem.Builder invalid() {
        return Problem.of("validation", 422, "Invalid company prefixes").retriable(false);
    }
}
