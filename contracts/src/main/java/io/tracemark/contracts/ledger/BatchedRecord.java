package io.tracemark.contracts.ledger;

/**
 * Who a leaf of a leaf batch belongs to, carried beside the digests so that the record → leaf mapping
 * survives a restart without a per-record document: the leaves topic is the durable log.
 *
 * @param recordId         the record's id
 * @param tenant           its tenant
 * @param type             its record type
 * @param acceptedAtMillis when ingest stored it, epoch milliseconds
 */
public record BatchedRecord(String recordId, String tenant, String type, long acceptedAtMillis) {
}
