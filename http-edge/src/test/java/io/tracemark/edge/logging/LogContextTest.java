package io.tracemark.edge.logging;

import org.jboss.logging.MDC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class LogContextTest {
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @AfterEach
    void clear() {
        MDC.clear();
    }

    @Test
    void aRecordsIdTenantAndTraceIdAreInTheMdcOnlyWhileItsContextIsOpen() {
        try (LogContext ignored = LogContext.record("01REC", "acme", TRACEPARENT)) {
            assertEquals("01REC", MDC.get(LogFields.RECORD_ID));
            assertEquals("acme", MDC.get(LogFields.TENANT));
            assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", MDC.get(LogFields.TRACE_ID));
            assertEquals("00f067aa0ba902b7", MDC.get(LogFields.SPAN_ID));
        }
        assertNull(MDC.get(LogFields.RECORD_ID));
        assertNull(MDC.get(LogFields.TENANT));
        assertNull(MDC.get(LogFields.TRACE_ID));
        assertNull(MDC.get(LogFields.SPAN_ID));
    }

    @Test
    void aRecordsTraceReplacesTheThreadsTraceAndSpanTogetherAndBothComeBack() {
        MDC.put(LogFields.TRACE_ID, "batchtrace");
        MDC.put(LogFields.SPAN_ID, "batchspan");
        try (LogContext ignored = LogContext.record("01REC", "acme", TRACEPARENT)) {
            assertEquals("00f067aa0ba902b7", MDC.get(LogFields.SPAN_ID));
        }
        assertEquals("batchtrace", MDC.get(LogFields.TRACE_ID));
        assertEquals("batchspan", MDC.get(LogFields.SPAN_ID));
        try (LogContext ignored = LogContext.record("01REC", "acme", null)) {
            assertEquals("batchspan", MDC.get(LogFields.SPAN_ID), "no trace of its own: the thread's stays whole");
        }
    }

    @Test
    void fieldsSetBeforeTheContextAreRestoredNotRemoved() {
        MDC.put(LogFields.TENANT, "request-tenant");
        try (LogContext ignored = LogContext.record("01REC", "record-tenant", null).put(LogFields.KAFKA_POSITION, "t/0/7")) {
            assertEquals("record-tenant", MDC.get(LogFields.TENANT));
            assertEquals("t/0/7", MDC.get(LogFields.KAFKA_POSITION));
            assertNull(MDC.get(LogFields.TRACE_ID), "no traceparent, no trace id");
        }
        assertEquals("request-tenant", MDC.get(LogFields.TENANT));
        assertNull(MDC.get(LogFields.KAFKA_POSITION));
    }

    @Test
    void unknownFieldsAreLeftOut() {
        MDC.put(LogFields.RECORD_ID, "outer");
        try (LogContext ignored = LogContext.record(null, " ", "not a traceparent")) {
            assertEquals("outer", MDC.get(LogFields.RECORD_ID));
            assertNull(MDC.get(LogFields.TENANT));
        }
        assertEquals("outer", MDC.get(LogFields.RECORD_ID));
    }

    @Test
    void onlyAValidNonZeroTraceIdIsTakenFromATraceparent() {
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", LogContext.traceId(TRACEPARENT));
        assertNull(LogContext.traceId("00-00000000000000000000000000000000-00f067aa0ba902b7-01"));
        assertNull(LogContext.traceId("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"));
        assertNull(LogContext.traceId("00-4bf92f35"));
        assertNull(LogContext.traceId(null));
    }

    @Test
    void aBlocksHeightIsInTheMdcWhileItsContextIsOpen() {
        try (LogContext ignored = LogContext.block(42)) {
            assertEquals("42", MDC.get(LogFields.BLOCK_HEIGHT));
        }
        assertNull(MDC.get(LogFields.BLOCK_HEIGHT));
    }
}
