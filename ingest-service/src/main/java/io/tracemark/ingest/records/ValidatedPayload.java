package io.tracemark.ingest.records;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bson.Document;

/**
 * A payload that passed its type's rules, normalised (e.g. GTINs padded to 14 digits), with the
 * fields the record store indexes for lookups.
 *
 * @param naturalKey a key that makes two records the same thing regardless of who sent them when
 *                   (e.g. an EPCIS event hash ID); null when only the idempotency key identifies it
 */
public record ValidatedPayload(ObjectNode normalised, Document indexFields, String naturalKey) {

    /** A payload identified only by its idempotency key. */
    public ValidatedPayload(ObjectNode normalised, Document indexFields) {
        this(normalised, indexFields, null);
    }
}
