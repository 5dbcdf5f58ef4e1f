package io.tracemark.chain.witnessing;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;

/** One {@link WitnessClient} per configured witness, all told about each new checkpoint. */
public final class Witnessing implements AutoCloseable {
    private final List<WitnessClient> clients;

    private Witnessing(List<WitnessClient> clients) {
        this.clients = clients;
    }

    /** Starts a client for each of {@code witnesses} (none: nothing runs). */
    public static Witnessing start(List<WitnessEndpoint> witnesses, WitnessedLog log) {
        // Keep-alive connections, as C2SP tlog-witness recommends; HTTP/1.1 keeps plain-http witnesses simple.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        List<WitnessClient> clients = witnesses.stream().map(w -> new WitnessClient(w, log, http)).toList();
        clients.forEach(WitnessClient::start);
        return new Witnessing(clients);
    }

    /** Tells every client that a new checkpoint was signed; returns at once. */
    public void checkpointSigned() {
        clients.forEach(WitnessClient::checkpointSigned);
    }

    /** Each witness's status, in configuration order. */
    public List<WitnessStatus> statuses() {
        return clients.stream().map(WitnessClient::status).toList();
    }

    /** Split views refused by any witness since start. */
    public long splitViews() {
        return statuses().stream().mapToLong(WitnessStatus::splitViews).sum();
    }

    @Override
    public void close() throws InterruptedException {
        for (WitnessClient c : clients) {
            c.close();
        }
    }
}
