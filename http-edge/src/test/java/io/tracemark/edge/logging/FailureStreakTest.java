package io.tracemark.edge.logging;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class FailureStreakTest {
    private static final String NAME = FailureStreakTest.class.getName();
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void capture() {
        java.util.logging.Logger.getLogger(NAME).addHandler(handler);
    }

    @AfterEach
    void release() {
        java.util.logging.Logger.getLogger(NAME).removeHandler(handler);
    }

    @Test
    void onlyTheFirstFailureOfAStreakCarriesItsStackTraceAndASuccessStartsANewStreak() {
        FailureStreak streak = new FailureStreak(Logger.getLogger(NAME));
        streak.failed("store write failed", new IllegalStateException("down"));
        streak.failed("store write failed", new IllegalStateException("still down"));
        streak.succeeded();
        streak.failed("store write failed", new IllegalStateException("down again"));

        assertEquals(3, records.size());
        assertNotNull(records.get(0).getThrown(), "the first failure carries its stack trace");
        assertNull(records.get(1).getThrown(), "a retry of the same streak does not");
        assertNotNull(records.get(2).getThrown(), "after a success the next failure carries it again");
    }
}
