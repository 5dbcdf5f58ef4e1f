package io.tracemark.edge.logging;

import org.jboss.logging.MDC;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * MDC fields ({@link LogFields}) for the work on one record or block, put by {@link #put} and taken back on
 * {@link #close()} (try-with-resources), so that a thread that goes on to the next record never logs it under
 * this one's id. Values there before are restored rather than removed: a request's tenant outlives the record.
 */
public final class LogContext implements AutoCloseable {
    private final Map<String, Object> previous = new LinkedHashMap<>();

    private LogContext() {
    }

    /** An empty context, to {@link #put} fields in. */
    public static LogContext open() {
        return new LogContext();
    }

    /**
     * The context of one record: its id, tenant and, when {@code traceparent} is a W3C traceparent, its trace and
     * span ids (both, so that a span id of the thread's own trace is not left beside the record's trace id); any of
     * them may be {@code null} (not known) and is then left out.
     */
    public static LogContext record(String recordId, String tenant, String traceparent) {
        String traceId = traceId(traceparent);
        return open().put(LogFields.RECORD_ID, recordId).put(LogFields.TENANT, tenant).put(LogFields.TRACE_ID, traceId)
                .put(LogFields.SPAN_ID, traceId == null ? null : traceparent.substring(36, 52));
    }

    /** The context of one sealed block. */
    public static LogContext block(long height) {
        return open().put(LogFields.BLOCK_HEIGHT, Long.toString(height));
    }

    /** Sets {@code key} until {@link #close()}; a {@code null} or blank value leaves the field as it is. */
    public LogContext put(String key, String value) {
        if (value == null || value.isBlank()) {
            return this;
        }
        Object before = MDC.put(key, value);
        previous.putIfAbsent(key, before == null ? Missing.VALUE : before);
        return this;
    }

    /** Restores every field put to what it was before. */
    @Override
    public void close() {
        previous.forEach((key, before) -> {
            if (before == Missing.VALUE) {
                MDC.remove(key);
            } else {
                MDC.put(key, before);
            }
        });
        previous.clear();
    }

    /** The trace id of a W3C {@code traceparent} ({@code 00-<trace id>-<span id>-<flags>}), or {@code null}. */
    public static String traceId(String traceparent) {
        if (traceparent == null || traceparent.length() < 55 || traceparent.charAt(2) != '-' || traceparent.charAt(35) != '-'
                || traceparent.charAt(52) != '-') {
            return null;
        }
        String id = traceparent.substring(3, 35);
        boolean zero = true;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return null;
            }
            zero &= c == '0';
        }
        return zero ? null : id;
    }

    /** Marks a field that had no value before, as the MDC holds no nulls. */
    private enum Missing {
        VALUE
    }
}
