package io.tracemark.ingest.admin;

import io.tracemark.edge.auth.ApiKeyStore;
import io.tracemark.edge.auth.RequiresRole;
import io.tracemark.edge.auth.Role;
import io.tracemark.edge.problem.Problem;
import io.tracemark.edge.problem.ProblemException;
import io.tracemark.ingest.tenants.TenantDirectory;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Operator endpoints (admin key only): issue and revoke tenant API keys. */
@Path("/v1/admin/tenants/{tenant}/api-keys")
@RequiresRole(Role.ADMIN)
@Blocking
public class TenantAdminResource {
    @Inject
    ApiKeyStore keys;
    @Inject
    TenantDirectory tenants;

    /** Request body: the roles of the new key (default read and write). */
    public record IssueRequest(List<String> roles) {
    }

    /** Issues a key for a tenant; the key text is in this response only and never again. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response issue(@PathParam("tenant") String tenant, IssueRequest req) {
        if (!ApiKeyStore.TENANT_ID.matcher(tenant).matches()) {
            throw new ProblemException(Problem.of("validation", 422, "Tenant id is invalid")
                    .field("/tenant", "tenant.invalid", "tenant ids match " + ApiKeyStore.TENANT_ID.pattern()).build());
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        List<String> asked = req == null || req.roles() == null || req.roles().isEmpty() ? List.of("read", "write") : req.roles();
        for (String r : asked) {
            if (!r.equalsIgnoreCase("read") && !r.equalsIgnoreCase("write")) {
                throw new ProblemException(Problem.of("validation", 422, "Unknown role")
                        .field("/roles", "role.unknown", "roles are 'read' and 'write'").build());
            }
            roles.add(Role.valueOf(r.toUpperCase()));
        }
        tenants.register(tenant);
        ApiKeyStore.IssuedKey k = keys.issue(tenant, roles);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenant", k.tenant());
        body.put("keyId", k.keyId());
        body.put("roles", k.roles().stream().map(r -> r.name().toLowerCase()).sorted().toList());
        body.put("apiKey", k.apiKey());
        return Response.status(201).entity(body).build();
    }

    /** Revokes a tenant's key by its id. */
    @DELETE
    @Path("/{keyId}")
    public Response revoke(@PathParam("tenant") String tenant, @PathParam("keyId") String keyId) {
        if (!keys.revoke(tenant, keyId)) {
            throw new ProblemException(Problem.of("not-found", 404, "No such key").build());
        }
        return Response.noContent().build();
    }
}
