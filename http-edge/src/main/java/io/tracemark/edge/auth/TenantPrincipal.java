package io.tracemark.edge.auth;

import java.util.Set;

/** The authenticated caller of a request: a tenant, the key it used and that key's roles. */
public record TenantPrincipal(String tenant, String keyId, Set<Role> roles) {

    /** Whether this caller may act in the given role (write implies read). */
    public boolean may(Role role) {
        return roles.contains(role) || (role == Role.READ && roles.contains(Role.WRITE));
    }
}
