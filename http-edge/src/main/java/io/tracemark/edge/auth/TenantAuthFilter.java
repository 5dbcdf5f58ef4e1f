package io.tracemark.edge.auth;

import io.tracemark.edge.problem.Problem;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import io.tracemark.edge.logging.LogFields;
import org.jboss.logging.MDC;

import java.util.EnumSet;
import java.util.Optional;

/**
 * Authenticates {@code Authorization: Bearer tmk_…} (or {@code X-API-Key}) on resources marked
 * {@link RequiresRole}. The operator's admin key is configured only as its SHA-256, so it never
 * sits in plain text in config files or environment dumps.
 */
@Provider
@RequiresRole
@Priority(Priorities.AUTHENTICATION)
public class TenantAuthFilter implements ContainerRequestFilter {
    /** Tenant name given to the operator's admin principal. */
    public static final String ADMIN_TENANT = "*admin*";

    @Inject
    ApiKeyStore store;
    @Inject
    CurrentTenant current;
    @Context
    ResourceInfo resource;

    @ConfigProperty(name = "tracemark.edge.admin-key-sha256")
    Optional<String> adminKeyHash;

    @Override
    public void filter(ContainerRequestContext ctx) {
        Role needed = requiredRole();
        String presented = presentedKey(ctx);
        if (presented == null) {
            ctx.abortWith(Problem.of("unauthenticated", 401, "API key required")
                    .detail("Send the tenant API key as 'Authorization: Bearer tmk_…'.")
                    .retriable(false).build().toResponse());
            return;
        }
        if (adminKeyHash.isPresent() && !adminKeyHash.get().isBlank()
                && ApiKeyFormat.sameHash(adminKeyHash.get().trim().toLowerCase(), ApiKeyFormat.hash(presented))) {
            if (needed != Role.ADMIN) {
                ctx.abortWith(Problem.of("forbidden", 403, "The admin key cannot act as a tenant")
                        .detail("Use a tenant API key for tenant operations.")
                        .retriable(false).build().toResponse());
                return;
            }
            current.set(new TenantPrincipal(ADMIN_TENANT, "admin", EnumSet.of(Role.ADMIN)));
            return;
        }
        Optional<TenantPrincipal> principal = store.authenticate(presented);
        if (principal.isEmpty()) {
            ctx.abortWith(Problem.of("unauthenticated", 401, "Unknown or revoked API key")
                    .retriable(false).build().toResponse());
            return;
        }
        if (!principal.get().may(needed)) {
            ctx.abortWith(Problem.of("forbidden", 403, "API key lacks the " + needed.name().toLowerCase() + " role")
                    .retriable(false).build().toResponse());
            return;
        }
        current.set(principal.get());
        // Every log line of this request names its tenant (a field of its own in JSON logs).
        MDC.put(LogFields.TENANT, principal.get().tenant());
    }

    private Role requiredRole() {
        RequiresRole onMethod = resource.getResourceMethod() == null ? null
                : resource.getResourceMethod().getAnnotation(RequiresRole.class);
        if (onMethod != null) {
            return onMethod.value();
        }
        RequiresRole onClass = resource.getResourceClass() == null ? null
                : resource.getResourceClass().getAnnotation(RequiresRole.class);
        return onClass == null ? Role.WRITE : onClass.value();
    }

    private static String presentedKey(ContainerRequestContext ctx) {
        String auth = ctx.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).trim();
        }
        String header = ctx.getHeaderString("X-API-Key");
        return header == null || header.isBlank() ? null : header.trim();
    }
}
