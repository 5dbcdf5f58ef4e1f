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
import io.tracemark.contracts.http.ApiContractFilter;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Operator endpoints (admin key only): issue and revoke tenant API keys. */
@Tag(name = "admin", description = "Operator endpoints: tenant API keys (admin key only)")
@Path("/v1/admin/tenants/{tenant}/api-keys")
@RequiresRole(Role.ADMIN)
@SecurityRequirement(name = ApiContractFilter.SECURITY_SCHEME)
@Blocking
public class TenantAdminResource {
    @Inject
    ApiKeyStore keys;
    @Inject
    TenantDirectory tenants;

    /** Request body: the roles of the new key (default read and write). */
    @Schema(name = "IssueApiKeyRequest")
    public record IssueRequest(@Schema(description = "read and/or write; default both",
            example = "[\"read\", \"write\"]") List<String> roles) {
    }

    /** Response body: the new key, whose text is shown this once. */
    @Schema(name = "IssuedApiKey")
    public record IssuedKeyView(@Schema(required = true, example = "acme") String tenant,
                                @Schema(required = true, example = "k3x9q2m7p4w1") String keyId,
                                @Schema(required = true) List<String> roles,
                                @Schema(required = true, description = "The key text; store it now, it is never shown again",
                                        example = "tmk_k3x9q2m7p4w1_…") String apiKey) {
    }

    /** Issues a key for a tenant; the key text is in this response only and never again. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "issueApiKey", summary = "Issue a tenant API key (admin key only)",
            description = "The key text is in this response only and never again; the store keeps its SHA-256.")
    @APIResponse(responseCode = "201", description = "The new key",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IssuedKeyView.class)))
    @APIResponse(responseCode = "422", description = "Invalid tenant id or unknown role (type validation)")
    public Response issue(@Parameter(description = "Tenant id", example = "acme", schema = @Schema(type = SchemaType.STRING, pattern = "^[a-z0-9][a-z0-9-]{1,62}$"))
                          @PathParam("tenant") String tenant,
                          @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                  schema = @Schema(implementation = IssueRequest.class),
                                  examples = @ExampleObject(name = "read-only", value = "{\"roles\":[\"read\"]}"))) IssueRequest req) {
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
        return Response.status(201).entity(new IssuedKeyView(k.tenant(), k.keyId(),
                k.roles().stream().map(r -> r.name().toLowerCase()).sorted().toList(), k.apiKey())).build();
    }

    /** Revokes a tenant's key by its id. */
    @DELETE
    @Path("/{keyId}")
    @Operation(operationId = "revokeApiKey", summary = "Revoke a tenant API key (admin key only)",
            description = "Other replicas stop accepting it within the key cache lifetime (10 s by default).")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "404", description = "No such key for this tenant (type not-found)")
    public Response revoke(@PathParam("tenant") String tenant, @PathParam("keyId") String keyId) {
        if (!keys.revoke(tenant, keyId)) {
            throw new ProblemException(Problem.of("not-found", 404, "No such key").build());
        }
        return Response.noContent().build();
    }
}
