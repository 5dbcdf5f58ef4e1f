package io.tracemark.contracts.ledger;

import io.tracemark.contracts.ContractViolation;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The binary {@code tracemark-records} header of a leaf batch: round trips, the exact layout, every refusal code. */
class LeafBatchRecordsTest {
    private static final List<BatchedRecord> RECORDS = List.of(
            new BatchedRecord("rec_01HZX3K8QF", "acme", "product.batch", 1714566896789L),
            new BatchedRecord("rec_01HZX3K8QG", "studio", "media.work", 1714566896790L),
            new BatchedRecord("rec_01HZX3K8QH", "acme", "epcis.event", 1714566896791L));

    // --- round trips ---------------------------------------------------------------------------------

    @Test
    void recordsRoundTripInLeafOrder() {
        assertEquals(RECORDS, LeafBatchRecords.decode(LeafBatchRecords.encode(RECORDS), RECORDS.size()));
    }

    @Test
    void unicodeTenantAndIdsRoundTrip() {
        List<BatchedRecord> records = List.of(
                new BatchedRecord("rec_ß✓🙂", "Ünïcødé-テナント", "product.batch", 1L),
                new BatchedRecord("rec_\u0000nul", "tenant\u0000with-nul", "media.work", 2L),
                new BatchedRecord("日本語の記録", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "epcis.event", 3L));
        assertEquals(records, LeafBatchRecords.decode(LeafBatchRecords.encode(records), records.size()));
    }

    @Test
    void extremeTimestampsAndEmptyStringsRoundTrip() {
        List<BatchedRecord> records = List.of(
                new BatchedRecord("", "", "", 0L),
                new BatchedRecord("r", "t", "x", Long.MAX_VALUE),
                new BatchedRecord("r", "t", "x", Long.MIN_VALUE),
                new BatchedRecord("r", "t", "x", -1L));
        assertEquals(records, LeafBatchRecords.decode(LeafBatchRecords.encode(records), records.size()));
    }

    @Test
    void emptyBatchRoundTrips() {
        byte[] header = LeafBatchRecords.encode(List.of());
        assertArrayEquals(new byte[]{1, 0, 0, 0, 0}, header);
        assertEquals(List.of(), LeafBatchRecords.decode(header, 0));
    }

    @Test
    void encodingIsVersionCountThenLengthPrefixedStringsAndMillis() {
        byte[] header = LeafBatchRecords.encode(List.of(new BatchedRecord("r", "t", "x", 1L)));
        assertEquals("01" + "00000001" + "0001" + "72" + "0001" + "74" + "0001" + "78" + "0000000000000001",
                HexFormat.of().formatHex(header));
    }

    // --- invalid fixtures ----------------------------------------------------------------------------

    @Test
    void missingHeaderIsRefused() {
        assertCode("leaf-batch.records.missing", null, 3);
    }

    @Test
    void countDifferentFromTheBatchDigestsIsRefused() {
        byte[] header = LeafBatchRecords.encode(RECORDS);
        assertCode("leaf-batch.records.count", header, RECORDS.size() + 1);
        assertCode("leaf-batch.records.count", header, RECORDS.size() - 1);
        assertCode("leaf-batch.records.count", header, 0);
    }

    @Test
    void truncatedHeaderIsRefused() {
        byte[] header = LeafBatchRecords.encode(RECORDS);
        assertCode("leaf-batch.records.truncated", Arrays.copyOf(header, header.length - 1), RECORDS.size());
        assertCode("leaf-batch.records.truncated", Arrays.copyOf(header, header.length - 8), RECORDS.size());
        assertCode("leaf-batch.records.truncated", Arrays.copyOf(header, 7), RECORDS.size()); // inside the first id
        assertCode("leaf-batch.records.truncated", Arrays.copyOf(header, 3), RECORDS.size()); // inside the count
        assertCode("leaf-batch.records.truncated", new byte[0], RECORDS.size());
    }

    @Test
    void trailingBytesAreRefused() {
        byte[] header = LeafBatchRecords.encode(RECORDS);
        assertCode("leaf-batch.records.trailing", Arrays.copyOf(header, header.length + 1), RECORDS.size());
        byte[] twice = Arrays.copyOf(header, header.length * 2);
        System.arraycopy(header, 0, twice, header.length, header.length);
        assertCode("leaf-batch.records.trailing", twice, RECORDS.size());
    }

    @Test
    void unknownVersionIsRefused() {
        byte[] header = LeafBatchRecords.encode(RECORDS);
        for (byte version : new byte[]{0, 2, (byte) 0xff}) {
            byte[] mutated = header.clone();
            mutated[0] = version;
            assertCode("leaf-batch.records.version", mutated, RECORDS.size());
        }
    }

    private static void assertCode(String code, byte[] header, int expected) {
        ContractViolation v = assertThrows(ContractViolation.class, () -> LeafBatchRecords.decode(header, expected));
        assertEquals(code, v.code(), v::getMessage);
    }
}
