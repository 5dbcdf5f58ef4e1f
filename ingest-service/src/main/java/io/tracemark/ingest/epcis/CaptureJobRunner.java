package io.tracemark.ingest.epcis;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracemark.edge.problem.Problem;
import io.tracemark.ingest.records.IntakeRequest;
import io.tracemark.ingest.records.IntakeResult;
import io.tracemark.ingest.records.RecordIntake;
import io.tracemark.ingest.records.StoredRecord;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs EPCIS capture jobs off the request thread: validates every event, then stores them through
 * the shared intake path in bulk chunks, and records per-event results on the job.
 *
 * <p>With {@code rollback} (the GS1 default) one invalid event fails the job and nothing is stored;
 * with {@code proceed} the valid events are stored and the invalid ones reported. An event the tenant
 * already has is reported as a duplicate with the existing record; it does not undo the others.
 *
 * @see <a href="https://ref.gs1.org/standards/epcis/">EPCIS 2.0 §12 REST binding, capture interface</a>
 */
@ApplicationScoped
public class CaptureJobRunner {
    private static final Logger LOG = Logger.getLogger(CaptureJobRunner.class);
    private final RecordIntake intake;
    private final CaptureJobStore jobs;
    private final int chunk;
    private final ExecutorService workers;

    public CaptureJobRunner(RecordIntake intake, CaptureJobStore jobs,
                            @ConfigProperty(name = "tracemark.ingest.epcis.capture-chunk") int chunk,
                            @ConfigProperty(name = "tracemark.ingest.epcis.capture-workers") int workers) {
        this.intake = intake;
        this.jobs = jobs;
        this.chunk = chunk;
        this.workers = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "epcis-capture");
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void stop() {
        workers.shutdown();
    }

    /** Starts a job over events that already carry the context in force for them. */
    public void submit(String jobId, String tenant, List<JsonNode> events, boolean rollback) {
        workers.execute(() -> {
            try {
                run(jobId, tenant, events, rollback);
            } catch (RuntimeException e) {
                LOG.errorf(e, "capture job %s failed", jobId);
                jobs.finish(jobId, CaptureJobStore.FAILED, List.of(), List.of(),
                        "internal error; resubmit the document (events stored before are reported as duplicates)");
            }
        });
    }

    private void run(String jobId, String tenant, List<JsonNode> events, boolean rollback) {
        List<IntakeRequest> requests = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            requests.add(new IntakeRequest(EpcisEventType.NAME, "capture:" + jobId + ":" + i, events.get(i)));
        }
        List<Document> errors = new ArrayList<>();
        boolean[] invalid = new boolean[events.size()];
        for (int i = 0; i < requests.size(); i++) {
            for (Problem.FieldError e : intake.check(requests.get(i))) {
                invalid[i] = true;
                errors.add(error(i, e.pointer(), e.code(), e.detail()));
            }
        }
        if (rollback && !errors.isEmpty()) {
            jobs.finish(jobId, CaptureJobStore.FAILED, List.of(), errors,
                    "invalid events; nothing was stored (captureErrorBehaviour rollback)");
            return;
        }
        List<Document> results = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        List<IntakeRequest> valid = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            if (!invalid[i]) {
                indexes.add(i);
                valid.add(requests.get(i));
            }
        }
        for (int from = 0; from < valid.size(); from += chunk) {
            int to = Math.min(valid.size(), from + chunk);
            List<IntakeResult> out = intake.accept(tenant, valid.subList(from, to));
            for (int j = 0; j < out.size(); j++) {
                int i = indexes.get(from + j);
                IntakeResult r = out.get(j);
                if (r instanceof IntakeResult.Accepted a) {
                    results.add(result(i, a.record(), "accepted"));
                } else if (r instanceof IntakeResult.Duplicate d) {
                    results.add(result(i, d.existing(), "duplicate"));
                    errors.add(error(i, "", "duplicate-record", "the tenant already has this event as record "
                            + d.existing().id()));
                } else if (r instanceof IntakeResult.Invalid inv) {
                    inv.errors().forEach(e -> errors.add(error(i, e.pointer(), e.code(), e.detail())));
                } else if (r instanceof IntakeResult.Conflict c) {
                    errors.add(error(i, "", "idempotency-conflict", "record " + c.existing().id()));
                } else if (r instanceof IntakeResult.FactsDiffer f) {
                    errors.add(error(i, "", "batch-facts-differ", "record " + f.existing().id()));
                }
            }
        }
        jobs.finish(jobId, CaptureJobStore.DONE, results, errors, null);
    }

    private static Document result(int index, StoredRecord r, String status) {
        return new Document("index", index).append("status", status).append("recordId", r.id())
                .append("digest", r.digest()).append("eventHashId", r.keys().getString("eventHashId"))
                .append("eventID", r.keys().getString("eventId")).append("statusUrl", "/v1/records/" + r.id());
    }

    private static Document error(int index, String pointer, String code, String detail) {
        String p = "/epcisBody/eventList/" + index + (pointer.startsWith("/payload") ? pointer.substring(8) : pointer);
        return new Document("index", index).append("pointer", p).append("code", code).append("detail", detail);
    }
}
