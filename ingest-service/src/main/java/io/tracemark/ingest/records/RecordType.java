package io.tracemark.ingest.records;

import com.fasterxml.jackson.databind.JsonNode;

/** One kind of record Tracemark accepts: its type name and its validation rules. */
public interface RecordType {

    /** The envelope type name, e.g. {@code product.batch}. */
    String name();

    /** Checks and normalises a payload; field errors go to {@code v}, and null is returned then. */
    ValidatedPayload validate(JsonNode payload, Validation v);

    /** Checks a whole request, including facts the service measured; by default only the payload. */
    default ValidatedPayload validate(IntakeRequest request, Validation v) {
        return validate(request.payload(), v);
    }

    /** What a record is whose natural key the tenant already has ({@code existing}): by default a duplicate. */
    default IntakeResult registeredAgain(PendingRecord p, StoredRecord existing) {
        return new IntakeResult.Duplicate(existing);
    }
}
