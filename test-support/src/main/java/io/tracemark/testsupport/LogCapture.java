package io.tracemark.testsupport;

import org.jboss.logmanager.ExtLogRecord;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The log lines one logger writes while open, each with the MDC it was written under, so that a test can check
 * what an operator's log query would find (e.g. a dead-lettered record's line carries its record id).
 */
public final class LogCapture extends Handler implements AutoCloseable {
    /** One captured line: its formatted message and a copy of its MDC. */
    public record Line(String message, Map<String, String> mdc) {
    }

    private final Logger logger;
    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private LogCapture(Logger logger) {
        this.logger = logger;
    }

    /** Captures what the logger of {@code owner} (its class name, as JBoss Logging names loggers) writes until closed. */
    public static LogCapture of(Class<?> owner) {
        LogCapture c = new LogCapture(Logger.getLogger(owner.getName()));
        c.logger.addHandler(c);
        return c;
    }

    @Override
    public void publish(LogRecord r) {
        if (r instanceof ExtLogRecord ext) {
            // Copied here, on the logging thread: the MDC belongs to it and changes once the line is written.
            lines.add(new Line(ext.getFormattedMessage(), Map.copyOf(ext.getMdcCopy())));
        } else {
            lines.add(new Line(r.getMessage(), Map.of()));
        }
    }

    /** The lines captured so far that {@code which} accepts. */
    public List<Line> lines(Predicate<Line> which) {
        return lines.stream().filter(which).toList();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
