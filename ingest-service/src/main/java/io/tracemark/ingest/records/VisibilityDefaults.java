package io.tracemark.ingest.records;

import io.tracemark.contracts.records.RecordContent;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Map;

/**
 * The visibility a record gets when its request names none, per type ({@code tracemark.ingest.visibility.*}):
 * product batches public (the Digital Link page shows their facts), EPCIS events and media works private.
 */
@ApplicationScoped
public class VisibilityDefaults {
    private final Map<String, String> byType;

    public VisibilityDefaults(@ConfigProperty(name = "tracemark.ingest.visibility.product-batch") String batches,
                              @ConfigProperty(name = "tracemark.ingest.visibility.epcis-event") String events,
                              @ConfigProperty(name = "tracemark.ingest.visibility.media-work") String works) {
        for (String v : new String[]{batches, events, works}) {
            if (!RecordContent.isValid(v)) {
                throw new IllegalArgumentException("tracemark.ingest.visibility.* is public or private, not " + v);
            }
        }
        this.byType = Map.of("product.batch", batches, "epcis.event", events, "media.work", works);
    }

    /** The default visibility of records of {@code type}. */
    public String of(String type) {
        return byType.getOrDefault(type, RecordContent.PRIVATE);
    }
}
