package io.tracemark.verify.verification;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.tracemark.verify.receipts.RecordsView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Optional;

/**
 * What the registry checks read of a stored record ({@link RecordsView#registryFacts}), kept for a short while per
 * record: a receipt verified again and again (a product's label scanned in a shop) costs one store read per
 * {@code tracemark.verify.registry-facts-ttl}, not one per scan. A record's facts change only when its registrant
 * erases its content, so an erasure reaches verification's {@code record.content} check within that time.
 * A record the store does not hold is never remembered: it may be stored the next moment.
 */
@ApplicationScoped
public class RegistryFacts {
    private final RecordsView view;
    private final Cache<String, Document> recent;

    @Inject
    public RegistryFacts(RecordsView view,
                         @ConfigProperty(name = "tracemark.verify.registry-facts-ttl") Duration ttl,
                         @ConfigProperty(name = "tracemark.verify.registry-facts-cache-size") int size) {
        this(view, ttl, size, Ticker.systemTicker());
    }

    RegistryFacts(RecordsView view, Duration ttl, int size, Ticker ticker) {
        this.view = view;
        this.recent = ttl.isZero() || size <= 0 ? null
                : Caffeine.newBuilder().maximumSize(size).expireAfterWrite(ttl).ticker(ticker).build();
    }

    /** The record's registry facts, empty when the store does not hold it. */
    public Optional<Document> of(String recordId) {
        if (recent == null) {
            return view.registryFacts(recordId);
        }
        Document held = recent.getIfPresent(recordId);
        if (held != null) {
            return Optional.of(held);
        }
        Optional<Document> read = view.registryFacts(recordId);
        read.ifPresent(d -> recent.put(recordId, d));
        return read;
    }
}
