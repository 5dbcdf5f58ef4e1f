package io.tracemark.attest.intake;

import io.tracemark.contracts.anchor.AnchorRequest;
import io.tracemark.contracts.anchor.AnchorRequestCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IntakeBatchTest {
    private static final String DIGEST = "ab".repeat(32);

    private static ConsumerRecord<byte[], byte[]> record(long offset, byte[] value) {
        return new ConsumerRecord<>("tracemark.anchor-requests", 0, offset, null, value);
    }

    private static byte[] request(String id) {
        return AnchorRequestCodec.encode(new AnchorRequest(id, "acme", "product.batch", DIGEST,
                Instant.parse("2026-12-01T10:00:00Z"), List.of("04006381333931"), null));
    }

    @Test
    void parksARequestThatBreaksTheContractAndKeepsTheRestOfThePoll() {
        byte[] bad = new String(request("r2"), StandardCharsets.UTF_8).replace(DIGEST, DIGEST.toUpperCase())
                .getBytes(StandardCharsets.UTF_8);
        List<ConsumerRecord<byte[], byte[]>> poll = List.of(record(0, request("r1")), record(1, bad), record(2, request("r3")));
        IntakeBatch b = IntakeBatch.of(poll, new RecentRecords(10));
        assertEquals(List.of("r1", "r3"), b.fresh().stream().map(AnchorRequest::recordId).toList());
        assertEquals(1, b.poison().size());
        assertEquals("anchor-request.digest", b.poison().get(0).code());
        assertEquals("tracemark.anchor-requests/0/1", b.poison().get(0).source());
    }

    @Test
    void keepsWhenIngestPublishedEachFreshRequest() {
        List<ConsumerRecord<byte[], byte[]>> poll = List.of(stamped(0, 1_000, request("r1")), stamped(1, 1_005, request("r1")),
                stamped(2, 1_010, request("r2")));
        IntakeBatch b = IntakeBatch.of(poll, new RecentRecords(10));
        assertEquals(List.of(1_000L, 1_010L), b.requestedAt());
    }

    private static ConsumerRecord<byte[], byte[]> stamped(long offset, long timestamp, byte[] value) {
        return new ConsumerRecord<>("tracemark.anchor-requests", 0, offset, timestamp,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0, value.length, null, value,
                new org.apache.kafka.common.header.internals.RecordHeaders(), java.util.Optional.empty());
    }

    @Test
    void aPoisonRequestNamesWhatItCanReadOfItsRecordForTheLogAndTheCounter() {
        byte[] bad = new String(request("r2"), StandardCharsets.UTF_8).replace(DIGEST, DIGEST.toUpperCase())
                .getBytes(StandardCharsets.UTF_8);
        ConsumerRecord<byte[], byte[]> traced = new ConsumerRecord<>("tracemark.anchor-requests", 0, 1, "key".getBytes(StandardCharsets.UTF_8), bad);
        traced.headers().add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".getBytes(StandardCharsets.UTF_8));
        IntakeBatch.About about = IntakeBatch.of(List.of(traced), new RecentRecords(10)).poison().get(0).about();
        assertEquals(new IntakeBatch.About("r2", "acme", "product.batch", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), about);

        ConsumerRecord<byte[], byte[]> notJson = new ConsumerRecord<>("tracemark.anchor-requests", 0, 2,
                "01REC-KEY".getBytes(StandardCharsets.UTF_8), "anchor this".getBytes(StandardCharsets.UTF_8));
        assertEquals(new IntakeBatch.About("01REC-KEY", null, null, null),
                IntakeBatch.of(List.of(notJson), new RecentRecords(10)).poison().get(0).about(), "the key is the record id");
    }

    @Test
    void anEmptyValueIsPoisonNotACrash() {
        IntakeBatch b = IntakeBatch.of(List.of(record(0, null)), new RecentRecords(10));
        assertEquals("anchor-request.empty", b.poison().get(0).code());
    }

    @Test
    void dropsRepeatsWithinAPollAndOfRecordsSentLately() {
        RecentRecords recent = new RecentRecords(10);
        recent.addAll(List.of("r0"));
        List<ConsumerRecord<byte[], byte[]>> poll = new ArrayList<>(List.of(record(0, request("r0")),
                record(1, request("r1")), record(2, request("r1"))));
        IntakeBatch b = IntakeBatch.of(poll, recent);
        assertEquals(List.of("r1"), b.fresh().stream().map(AnchorRequest::recordId).toList());
        assertEquals(2, b.repeats());
    }

    @Test
    void recentRecordsForgetsTheOldestBeyondItsCapacity() {
        RecentRecords recent = new RecentRecords(2);
        recent.addAll(List.of("a", "b", "c"));
        assertEquals(false, recent.contains("a"));
        assertEquals(true, recent.contains("c"));
    }
}
