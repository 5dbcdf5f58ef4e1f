package io.tracemark.ingest.epcis;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * The published shapes of EPCIS 2.0 bodies and capture jobs. Events are JSON-LD objects validated by
 * {@link EpcisEventType}; only the members this service reads are described, the rest pass through.
 */
public final class EpcisSchemas {
    private EpcisSchemas() {
    }

    /** One EPCIS 2.0 event (JSON/JSON-LD binding). */
    @Schema(name = "EpcisEvent", description = "An EPCIS 2.0 event; members other than those below are kept as sent.",
            additionalProperties = Schema.True.class)
    public record Event(
            @Schema(required = true, enumeration = {"ObjectEvent", "AggregationEvent", "TransactionEvent",
                    "TransformationEvent", "AssociationEvent"}, example = "ObjectEvent") String type,
            @Schema(required = true, format = "date-time", example = "2026-11-01T09:00:00Z") String eventTime,
            @Schema(required = true, example = "+01:00") String eventTimeZoneOffset,
            @Schema(example = "ADD") String action,
            @Schema(example = "commissioning") String bizStep,
            @Schema(example = "[\"urn:epc:id:sgtin:4006381.033393.1\"]") List<String> epcList,
            @Schema(description = "CBV 2.0 event hash ID (ni:///sha-256;…); computed when absent") String eventID) {
    }

    /** The body of an EPCIS document's events. */
    @Schema(name = "EpcisBody")
    public record Body(@Schema(required = true, minItems = 1) List<Event> eventList) {
    }

    /** An EPCIS 2.0 capture document. */
    @Schema(name = "EpcisDocument", description = "An EPCIS 2.0 capture document; its @context (the JSON-LD context "
            + "URL and namespace prefixes) and other members are kept as sent.", additionalProperties = Schema.True.class)
    public record Document(
            @Schema(required = true, enumeration = "EPCISDocument") String type,
            @Schema(example = "2.0") String schemaVersion,
            @Schema(format = "date-time") String creationDate,
            @Schema(required = true) Body epcisBody) {
    }

    /** 202 answer: the capture job and where to follow it. */
    @Schema(name = "CaptureAccepted")
    public record Accepted(@Schema(required = true) String captureID,
                           @Schema(required = true, enumeration = {"running", "done", "failed"}) String state,
                           @Schema(required = true, example = "/v1/epcis/capture/01JDX3K8Q9V5T2M4N6P8R0S1W3") String statusUrl) {
    }

    /** A capture job's state and, once finished, each event's outcome. */
    @Schema(name = "CaptureJob")
    public record Job(@Schema(required = true) String captureID,
                      @Schema(required = true, enumeration = {"running", "done", "failed"}) String state,
                      @Schema(required = true) boolean running,
                      @Schema(required = true, description = "done with no event errors") boolean success,
                      @Schema(required = true, enumeration = {"rollback", "proceed"}) String captureErrorBehaviour,
                      @Schema(required = true, format = "date-time") String createdAt,
                      @Schema(format = "date-time", nullable = true) String finishedAt,
                      @Schema(required = true) int eventCount,
                      @Schema(required = true, description = "Each event's record (id, digest, eventID)") List<Object> events,
                      @Schema(required = true, description = "Each failed event's index and field errors") List<Object> errors,
                      @Schema(description = "Why the job failed as a whole") String failure) {
    }
}
