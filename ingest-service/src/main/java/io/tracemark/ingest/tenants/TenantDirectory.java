package io.tracemark.ingest.tenants;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tenants the operator set up ({@code tenants}: {@code {_id: tenant, companyPrefixes: [...]}}) and the GS1
 * Company Prefixes each declared, read through a short cache so intake is not a database round trip per batch.
 * A tenant is known once it has a document here or an API key (keys issued before this collection existed).
 */
@ApplicationScoped
public class TenantDirectory {
    private static final int MAX_CACHED = 10_000;

    /**
     * What intake knows of a tenant.
     *
     * @param known           whether the operator set this tenant up
     * @param companyPrefixes the GS1 Company Prefixes it may register GTINs under, as declared
     */
    public record Tenant(String id, boolean known, List<String> companyPrefixes) {
    }

    private record Cached(Tenant tenant, Instant until) {
    }

    private final MongoClient mongo;
    private final String database;
    private final String tenants;
    private final String apiKeys;
    private final Duration ttl;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public TenantDirectory(MongoClient mongo, @ConfigProperty(name = "tracemark.mongodb.database") String database,
                           @ConfigProperty(name = "tracemark.ingest.tenants-collection") String tenants,
                           @ConfigProperty(name = "tracemark.edge.api-keys-collection", defaultValue = "api_keys") String apiKeys,
                           @ConfigProperty(name = "tracemark.ingest.tenant-cache") Duration ttl) {
        this.mongo = mongo;
        this.database = database;
        this.tenants = tenants;
        this.apiKeys = apiKeys;
        this.ttl = ttl;
    }

    private MongoCollection<Document> collection(String name) {
        return mongo.getDatabase(database).getCollection(name);
    }

    /** A tenant as intake sees it, at most the cache lifetime old. */
    public Tenant get(String id) {
        Instant now = Instant.now();
        Cached c = cache.get(id);
        if (c != null && c.until().isAfter(now)) {
            return c.tenant();
        }
        Tenant t = read(id);
        if (cache.size() > MAX_CACHED) {
            cache.clear();
        }
        cache.put(id, new Cached(t, now.plus(ttl)));
        return t;
    }

    /** The tenant as stored now, bypassing the cache. */
    public Tenant read(String id) {
        Document d = collection(tenants).find(Filters.eq("_id", id)).first();
        if (d != null) {
            return new Tenant(id, true, d.getList("companyPrefixes", String.class, List.of()));
        }
        boolean hasKey = collection(apiKeys).find(Filters.eq("tenant", id)).limit(1).first() != null;
        return new Tenant(id, hasKey, List.of());
    }

    /** Sets a tenant up (idempotent); its declared prefixes are kept. */
    public void register(String id) {
        Date now = new Date();
        collection(tenants).updateOne(Filters.eq("_id", id), Updates.setOnInsert("createdAt", now),
                new UpdateOptions().upsert(true));
        cache.remove(id);
    }

    /** Replaces the GS1 Company Prefixes a tenant declared, setting the tenant up if needed. */
    public Tenant declareCompanyPrefixes(String id, List<String> prefixes) {
        Date now = new Date();
        collection(tenants).updateOne(Filters.eq("_id", id), Updates.combine(Updates.set("companyPrefixes", prefixes),
                Updates.set("updatedAt", now), Updates.setOnInsert("createdAt", now)), new UpdateOptions().upsert(true));
        cache.remove(id);
        return read(id);
    }
}
