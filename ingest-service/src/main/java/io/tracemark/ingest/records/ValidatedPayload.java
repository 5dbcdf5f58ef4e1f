package io.tracemark.ingest.records;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bson.Document;

/**
 * A payload that passed its type's rules, normalised (e.g. GTINs padded to 14 digits), with the
 * fields the record store indexes for lookups.
 */
public record ValidatedPayload(ObjectNode normalised, Document indexFields) {
}
