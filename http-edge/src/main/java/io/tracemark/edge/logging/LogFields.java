package io.tracemark.edge.logging;

/** Names of the log MDC fields every service uses, so that one query finds a record or tenant across services. */
public final class LogFields {
    /** The tenant a request or record belongs to. */
    public static final String TENANT = "tenant";
    /** The record a log line is about. */
    public static final String RECORD_ID = "recordId";

    private LogFields() {
    }
}
