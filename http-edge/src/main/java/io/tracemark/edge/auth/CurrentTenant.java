package io.tracemark.edge.auth;

import jakarta.enterprise.context.RequestScoped;

/** The principal authenticated for the current request by {@link TenantAuthFilter}. */
@RequestScoped
public class CurrentTenant {
    private TenantPrincipal principal;

    void set(TenantPrincipal principal) {
        this.principal = principal;
    }

    /** The authenticated principal; only call from resources annotated with {@link RequiresRole}. */
    public TenantPrincipal principal() {
        if (principal == null) {
            throw new IllegalStateException("no authenticated tenant on this request");
        }
        return principal;
    }

    /** The authenticated tenant id. */
    public String tenant() {
        return principal().tenant();
    }
}
