package io.tracemark.attest.webhooks;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.quarkus.runtime.Startup;
import io.tracemark.contracts.gs1.Gtin14;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Webhook subscriptions in MongoDB ({@code webhook_subscriptions}). Reads on the delivery path go through
 * a short cache, so fan-out and dispatch are not a database round trip per message; writes through this
 * store invalidate it at once, other replicas see them within the cache lifetime. Signing secrets are
 * stored sealed ({@link WebhookSecrets}); a document still holding plain-text secrets from before is
 * re-sealed the first time it is read.
 */
@ApplicationScoped
@Startup
public class SubscriptionStore {
    private static final Duration CACHE = Duration.ofSeconds(2);
    private static final Logger LOG = Logger.getLogger(SubscriptionStore.class);

    private final MongoClient mongo;
    private final String database;
    private final WebhookSecrets secrets;
    private final Map<String, Cached> byTenant = new ConcurrentHashMap<>();

    private record Cached(List<Subscription> subs, Instant until) {
    }

    /** A new subscription and its secret in plain text, to show once. */
    public record Created(Subscription subscription, String secret) {
    }

    public SubscriptionStore(MongoClient mongo, @ConfigProperty(name = "tracemark.mongodb.database") String database,
                             WebhookSecrets secrets) {
        this.mongo = mongo;
        this.database = database;
        this.secrets = secrets;
    }

    @PostConstruct
    void ensureIndexes() {
        subs().createIndex(Indexes.ascending("tenant"), new IndexOptions().name("tenant"));
    }

    private MongoCollection<Document> subs() {
        return mongo.getDatabase(database).getCollection("webhook_subscriptions");
    }

    /** Creates a subscription with a fresh secret. */
    public Created create(String tenant, String url, List<String> types, List<String> gtins, List<String> works,
                          boolean enabled, String description) {
        Instant now = Instant.now();
        String id = "ep_" + UUID.randomUUID().toString().replace("-", "");
        String secret = WebhookSigning.newSecret();
        Document d = new Document("_id", id).append("tenant", tenant).append("url", url).append("eventTypes", types)
                .append("gtins", gtins).append("works", works).append("enabled", enabled).append("description", description)
                .append("secrets", List.of(secret(secrets.seal(tenant, id, secret), now, null)))
                .append("createdAt", Date.from(now)).append("updatedAt", Date.from(now));
        subs().insertOne(d);
        byTenant.remove(tenant);
        return new Created(of(d), secret);
    }

    /** A tenant's subscription. */
    public Optional<Subscription> get(String tenant, String id) {
        return Optional.ofNullable(subs().find(Filters.and(Filters.eq("_id", id), Filters.eq("tenant", tenant))).first())
                .map(this::read);
    }

    /** A subscription by id alone, through the cache (delivery path). */
    public Optional<Subscription> cached(String tenant, String id) {
        return forTenant(tenant).stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** All of a tenant's subscriptions, through the cache. */
    public List<Subscription> forTenant(String tenant) {
        Instant now = Instant.now();
        Cached c = byTenant.get(tenant);
        if (c != null && c.until().isAfter(now)) {
            return c.subs();
        }
        List<Subscription> subs = list(tenant);
        byTenant.put(tenant, new Cached(subs, now.plus(CACHE)));
        return subs;
    }

    /** All of a tenant's subscriptions, newest first. */
    public List<Subscription> list(String tenant) {
        List<Subscription> out = new ArrayList<>();
        subs().find(Filters.eq("tenant", tenant)).sort(Sorts.descending("createdAt")).forEach(d -> out.add(read(d)));
        return out;
    }

    /** Applies field updates; re-enabling clears the failure state. Returns the updated subscription. */
    public Optional<Subscription> update(String tenant, String id, List<Bson> sets) {
        List<Bson> all = new ArrayList<>(sets);
        all.add(Updates.set("updatedAt", new Date()));
        subs().updateOne(Filters.and(Filters.eq("_id", id), Filters.eq("tenant", tenant)), Updates.combine(all));
        byTenant.remove(tenant);
        return get(tenant, id);
    }

    /** Deletes a subscription; returns whether it existed. */
    public boolean delete(String tenant, String id) {
        byTenant.remove(tenant);
        return subs().deleteOne(Filters.and(Filters.eq("_id", id), Filters.eq("tenant", tenant))).getDeletedCount() > 0;
    }

    /** Adds a new secret; the current ones keep signing for {@code overlap}. Returns the new secret. */
    public Optional<String> rotate(String tenant, String id, Duration overlap) {
        Optional<Subscription> sub = get(tenant, id);
        if (sub.isEmpty()) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        String fresh = WebhookSigning.newSecret();
        List<Document> kept = new ArrayList<>();
        kept.add(secret(secrets.seal(tenant, id, fresh), now, null));
        for (Subscription.Secret s : sub.get().secrets()) {
            Instant until = now.plus(overlap);
            Instant expires = s.expiresAt() == null || s.expiresAt().isAfter(until) ? until : s.expiresAt();
            if (expires.isAfter(now)) {
                kept.add(secret(secrets.reseal(tenant, id, s.stored()), s.createdAt(), expires));
            }
        }
        update(tenant, id, List.of(Updates.set("secrets", kept)));
        return Optional.of(fresh);
    }

    /** Records a failed attempt: starts the failure run if none is open. */
    public void failing(Subscription s, Instant since) {
        if (s.failingSince() == null) {
            subs().updateOne(Filters.and(Filters.eq("_id", s.id()), Filters.exists("failingSince", false)),
                    Updates.set("failingSince", Date.from(since)));
            byTenant.remove(s.tenant());
        }
    }

    /** Records a successful attempt: ends the failure run. */
    public void healthy(Subscription s) {
        if (s.failingSince() != null) {
            subs().updateOne(Filters.eq("_id", s.id()), Updates.unset("failingSince"));
            byTenant.remove(s.tenant());
        }
    }

    /** Disables an endpoint automatically; returns false if it was already disabled. */
    public boolean disable(Subscription s, String reason) {
        boolean changed = subs().updateOne(Filters.and(Filters.eq("_id", s.id()), Filters.eq("enabled", true)),
                Updates.combine(Updates.set("enabled", false), Updates.set("disabledReason", reason),
                        Updates.set("updatedAt", new Date()))).getModifiedCount() > 0;
        byTenant.remove(s.tenant());
        return changed;
    }

    /**
     * Maps a document, first re-sealing any plain-text secrets left from before encryption. The rewrite only
     * applies if the secrets are still those read, so it never undoes a concurrent rotation.
     */
    private Subscription read(Document d) {
        List<Document> stored = d.getList("secrets", Document.class, List.of());
        if (stored.stream().noneMatch(s -> WebhookSecrets.isLegacy(s.getString("value")))) {
            return of(d);
        }
        String id = d.getString("_id");
        String tenant = d.getString("tenant");
        List<Document> sealed = new ArrayList<>();
        for (Document s : stored) {
            String v = s.getString("value");
            sealed.add(new Document(s).append("value", WebhookSecrets.isLegacy(v) ? secrets.seal(tenant, id, v) : v));
        }
        long n = subs().updateOne(Filters.and(Filters.eq("_id", id), Filters.eq("secrets", stored)),
                Updates.set("secrets", sealed)).getModifiedCount();
        if (n == 0) {
            return of(d);
        }
        LOG.infof("webhook endpoint %s of tenant %s: plain-text signing secrets from before encryption re-sealed", id, tenant);
        return of(new Document(d).append("secrets", sealed));
    }

    /**
     * Filters stored before they were normalised may hold 8-, 12- or 13-digit GTINs, which never equal the GTIN-14s
     * events carry; they are read in their 14-digit form. One that is no GTIN at all stays as it is and matches nothing.
     */
    private static List<String> gtin14s(List<String> stored) {
        return stored.stream().map(g -> Gtin14.parse(g).orElse(g)).distinct().toList();
    }

    private static Document secret(String value, Instant created, Instant expires) {
        return new Document("value", value).append("createdAt", Date.from(created))
                .append("expiresAt", expires == null ? null : Date.from(expires));
    }

    private static Subscription of(Document d) {
        List<Subscription.Secret> secrets = new ArrayList<>();
        for (Document s : d.getList("secrets", Document.class, List.of())) {
            secrets.add(new Subscription.Secret(s.getString("value"), s.getDate("createdAt").toInstant(),
                    s.getDate("expiresAt") == null ? null : s.getDate("expiresAt").toInstant()));
        }
        return new Subscription(d.getString("_id"), d.getString("tenant"), d.getString("url"),
                d.getList("eventTypes", String.class, List.of()), gtin14s(d.getList("gtins", String.class, List.of())),
                d.getList("works", String.class, List.of()), d.getBoolean("enabled", true), d.getString("description"),
                secrets, d.getDate("createdAt").toInstant(), d.getDate("updatedAt").toInstant(),
                d.getDate("failingSince") == null ? null : d.getDate("failingSince").toInstant(),
                d.getString("disabledReason"));
    }
}
