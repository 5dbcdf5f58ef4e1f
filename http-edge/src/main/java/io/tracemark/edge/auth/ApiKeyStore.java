package io.tracemark.edge.auth;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Tenant API keys in MongoDB, stored hashed.
 *
 * <p>Lookups are cached briefly so that authentication is not a database round trip per request;
 * the cache lifetime bounds how long a revoked key keeps working on other replicas.
 */
@ApplicationScoped
public class ApiKeyStore {
    /** Tenant ids are short, URL-safe and lower case so they can appear in paths and topic headers. */
    public static final Pattern TENANT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");

    private final MongoClient mongo;
    private final String database;
    private final String collection;
    private final Duration cacheTtl;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
    private volatile boolean indexed;

    private record Cached(Optional<Document> row, Instant until) {
    }

    /** A newly issued key: the plaintext is returned exactly once, at creation. */
    public record IssuedKey(String tenant, String keyId, Set<Role> roles, String apiKey) {
    }

    public ApiKeyStore(MongoClient mongo,
                       @ConfigProperty(name = "tracemark.mongodb.database", defaultValue = "tracemark") String database,
                       @ConfigProperty(name = "tracemark.edge.api-keys-collection", defaultValue = "api_keys") String collection,
                       @ConfigProperty(name = "tracemark.edge.api-key-cache", defaultValue = "PT10S") Duration cacheTtl) {
        this.mongo = mongo;
        this.database = database;
        this.collection = collection;
        this.cacheTtl = cacheTtl;
    }

    private MongoCollection<Document> keys() {
        MongoCollection<Document> c = mongo.getDatabase(database).getCollection(collection);
        if (!indexed) {
            c.createIndex(Indexes.ascending("tenant"), new IndexOptions().name("tenant"));
            indexed = true;
        }
        return c;
    }

    /** Issues a new key for a tenant with the given roles. */
    public IssuedKey issue(String tenant, Set<Role> roles) {
        if (!TENANT_ID.matcher(tenant).matches()) {
            throw new IllegalArgumentException("tenant id must match " + TENANT_ID.pattern());
        }
        if (roles.contains(Role.ADMIN)) {
            throw new IllegalArgumentException("admin is not a tenant role");
        }
        for (int attempt = 0; ; attempt++) {
            ApiKeyFormat.Generated g = ApiKeyFormat.generate();
            List<String> roleNames = new ArrayList<>();
            roles.forEach(r -> roleNames.add(r.name()));
            Document row = new Document("_id", g.keyId())
                    .append("tenant", tenant)
                    .append("roles", roleNames)
                    .append("hash", ApiKeyFormat.hash(g.plaintext()))
                    .append("createdAt", new Date())
                    .append("revoked", false);
            try {
                keys().insertOne(row);
                return new IssuedKey(tenant, g.keyId(), Set.copyOf(roles), g.plaintext());
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY || attempt > 3) {
                    throw e;
                }
            }
        }
    }

    /** Revokes a key; returns false if the tenant has no such key. */
    public boolean revoke(String tenant, String keyId) {
        cache.remove(keyId);
        return keys().updateOne(Filters.and(Filters.eq("_id", keyId), Filters.eq("tenant", tenant)),
                Updates.combine(Updates.set("revoked", true), Updates.set("revokedAt", new Date())))
                .getMatchedCount() > 0;
    }

    /** Resolves a presented key to its principal, or empty if unknown, revoked or wrong. */
    public Optional<TenantPrincipal> authenticate(String presented) {
        Optional<ApiKeyFormat.Parsed> parsed = ApiKeyFormat.parse(presented);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        Optional<Document> row = lookup(parsed.get().keyId());
        if (row.isEmpty() || row.get().getBoolean("revoked", false)
                || !ApiKeyFormat.sameHash(row.get().getString("hash"), ApiKeyFormat.hash(presented))) {
            return Optional.empty();
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (Object r : row.get().getList("roles", Object.class, List.of())) {
            roles.add(Role.valueOf(r.toString()));
        }
        return Optional.of(new TenantPrincipal(row.get().getString("tenant"), parsed.get().keyId(), roles));
    }

    private Optional<Document> lookup(String keyId) {
        Instant now = Instant.now();
        Cached c = cache.get(keyId);
        if (c != null && c.until().isAfter(now)) {
            return c.row();
        }
        Optional<Document> row = Optional.ofNullable(keys().find(Filters.eq("_id", keyId)).first());
        if (cache.size() > 10_000) {
            cache.clear();
        }
        cache.put(keyId, new Cached(row, now.plus(cacheTtl)));
        return row;
    }
}
