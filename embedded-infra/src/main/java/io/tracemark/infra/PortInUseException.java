package io.tracemark.infra;

/** Thrown when a port that Tracemark infra needs is already taken by another process. */
public class PortInUseException extends IllegalStateException {

    private final int port;

    /** Creates the exception for {@code port}, used by {@code purpose} (e.g. "kafka"). */
    public PortInUseException(int port, String purpose) {
        super("port " + port + " (" + purpose + ") is already in use on " + Ports.LOOPBACK
                + "; stop the process holding it or choose another port (0 picks a free one)");
        this.port = port;
    }

    /** The port that was found taken. */
    public int port() {
        return port;
    }
}
