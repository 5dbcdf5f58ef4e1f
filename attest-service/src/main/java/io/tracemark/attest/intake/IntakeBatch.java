package io.tracemark.attest.intake;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracemark.attest.tracing.RecordTraces;
import io.tracemark.contracts.ContractViolation;
import io.tracemark.contracts.Json;
import io.tracemark.contracts.anchor.AnchorRequest;
import io.tracemark.contracts.anchor.AnchorRequestCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One poll of {@code tracemark.anchor-requests} sorted out: the requests to anchor now (each record once),
 * the repeats dropped, and the poison parked with its reason. Pure: no I/O.
 *
 * @param fresh      requests to anchor, in topic order, each record id once
 * @param requestedAt the Kafka timestamp of each of {@code fresh} (when ingest published it), epoch milliseconds
 * @param repeats    requests for records already in this poll or sent lately
 * @param poison     messages that break the anchor-request contract
 */
public record IntakeBatch(List<AnchorRequest> fresh, List<Long> requestedAt, int repeats, List<Poison> poison) {

    /**
     * A message that cannot be anchored, with the contract's reason.
     *
     * @param source where it was read ({@code topic/partition/offset})
     * @param key    its key bytes, as read
     * @param value  its value bytes, as read
     * @param code   machine-readable reason, e.g. {@code anchor-request.digest}
     * @param reason what is wrong, for people
     * @param about  what the message says of its record, as far as it can be read
     */
    public record Poison(String source, byte[] key, byte[] value, String code, String reason, About about) {
    }

    /**
     * What a poison message says of its record, read leniently for the log and the per-type counter; any field
     * it does not carry as text is {@code null}.
     *
     * @param recordId    its {@code recordId}, else the message key (ingest keys requests by record id)
     * @param tenant      its {@code tenant}
     * @param type        its record {@code type}
     * @param traceparent its W3C {@code traceparent} header
     */
    public record About(String recordId, String tenant, String type, String traceparent) {
        static About of(ConsumerRecord<byte[], byte[]> r) {
            JsonNode n = null;
            try {
                n = r.value() == null ? null : Json.MAPPER.readTree(r.value());
            } catch (java.io.IOException | RuntimeException e) {
                // Not JSON: only the key and headers say anything.
            }
            String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
            String id = text(n, "recordId");
            Header trace = r.headers().lastHeader(RecordTraces.TRACEPARENT);
            return new About(id != null ? id : key, text(n, "tenant"), text(n, "type"),
                    trace == null || trace.value() == null ? null : new String(trace.value(), StandardCharsets.UTF_8));
        }

        private static String text(JsonNode n, String field) {
            return n != null && n.path(field).isTextual() ? n.get(field).asText() : null;
        }
    }

    /** Sorts a poll; {@code recent} drops records already sent to the ledger by this process. */
    public static IntakeBatch of(Iterable<ConsumerRecord<byte[], byte[]>> records, RecentRecords recent) {
        List<AnchorRequest> fresh = new ArrayList<>();
        List<Long> requestedAt = new ArrayList<>();
        List<Poison> poison = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int repeats = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            AnchorRequest a;
            try {
                if (r.value() == null) {
                    throw new ContractViolation("anchor-request.empty", "message has no value");
                }
                a = AnchorRequestCodec.decode(r.value());
            } catch (ContractViolation e) {
                poison.add(new Poison(r.topic() + "/" + r.partition() + "/" + r.offset(), r.key(), r.value(), e.code(),
                        e.getMessage(), About.of(r)));
                continue;
            }
            if (!seen.add(a.recordId()) || recent.contains(a.recordId())) {
                repeats++;
                continue;
            }
            fresh.add(a);
            requestedAt.add(r.timestamp());
        }
        return new IntakeBatch(fresh, requestedAt, repeats, poison);
    }
}
