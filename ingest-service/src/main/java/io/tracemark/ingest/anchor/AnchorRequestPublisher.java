package io.tracemark.ingest.anchor;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.tracemark.contracts.anchor.AnchorRequest;
import io.tracemark.contracts.anchor.AnchorRequestCodec;
import io.tracemark.ingest.media.MediaWorkType;
import io.tracemark.ingest.product.Gs1;
import io.tracemark.ingest.records.StoredRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Publishes anchor requests for stored records to {@code tracemark.anchor-requests}, encoded with the
 * shared contract ({@link AnchorRequestCodec}).
 *
 * <p>Sends of a batch are pipelined and their acknowledgements awaited together, so a batch costs one
 * round trip to the broker, not one per record. The record id is the Kafka key, keeping every request
 * for a record on one partition. Media works also carry {@code work: {sha256, phash}}.
 */
@ApplicationScoped
public class AnchorRequestPublisher {
    @Inject
    @Channel("anchor-requests")
    MutinyEmitter<byte[]> emitter;

    /**
     * Publishes one anchor request per record, each with the salt and canonical text it was stored with (so attest
     * builds its receipt without reading it back), and waits until the broker acknowledged all of them.
     */
    public void publish(List<StoredRecord> records, List<AnchorRequest.Content> contents) {
        if (records.isEmpty()) {
            return;
        }
        List<Uni<Void>> acks = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            StoredRecord r = records.get(i);
            Message<byte[]> m = Message.of(AnchorRequestCodec.encode(requestOf(r).withContent(contents.get(i)))).addMetadata(
                    OutgoingKafkaRecordMetadata.<String>builder().withKey(r.id()).build());
            acks.add(emitter.sendMessage(m));
        }
        Uni.join().all(acks).andFailFast().await().atMost(Duration.ofSeconds(60));
    }

    /** The contract message of a stored record. */
    public static AnchorRequest requestOf(StoredRecord r) {
        Document keys = r.keys() == null ? new Document() : r.keys();
        AnchorRequest.Work work = null;
        if (MediaWorkType.NAME.equals(r.type())) {
            // attest compares these across tenants to raise claim.conflict events.
            work = new AnchorRequest.Work(keys.getString("sha256"), keys.getString("phash"));
        }
        return new AnchorRequest(r.id(), r.tenant(), r.type(), r.digest(), r.receivedAt(), gtins(keys.get("gtin")), work);
    }

    /**
     * {@code keys.gtin} as a list of GTIN-14s: product batches store one string, EPCIS events a string for
     * one GTIN and a list for several. Shorter valid GTINs are zero-padded; anything else is left out, since
     * the list only feeds event filters and validation already refused bad GTINs on intake.
     */
    static List<String> gtins(Object gtin) {
        Set<String> out = new LinkedHashSet<>();
        if (gtin instanceof String s) {
            addGtin(out, s);
        } else if (gtin instanceof List<?> list) {
            for (Object g : list) {
                if (g instanceof String s) {
                    addGtin(out, s);
                }
            }
        }
        return List.copyOf(out);
    }

    private static void addGtin(Set<String> out, String gtin) {
        try {
            out.add(Gs1.normaliseGtin(gtin));
        } catch (IllegalArgumentException e) {
            // Not a GTIN (validation stores only valid ones); nothing to filter on.
        }
    }
}
