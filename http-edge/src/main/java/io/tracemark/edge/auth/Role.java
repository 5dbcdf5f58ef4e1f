package io.tracemark.edge.auth;

/** What an API key may do. Admin is not a tenant role: it comes only from the operator's admin key. */
public enum Role {
    READ, WRITE, ADMIN
}
