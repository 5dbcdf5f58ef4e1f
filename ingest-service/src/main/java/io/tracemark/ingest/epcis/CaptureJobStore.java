package io.tracemark.ingest.epcis;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * EPCIS capture jobs in the ingest-owned collection {@code capture_jobs}:
 * {@code {_id, tenant, idempotencyKey, requestHash, state: running|done|failed, createdAt,
 * finishedAt, eventCount, captureErrorBehaviour, events: [...], errors: [...]}}.
 */
@ApplicationScoped
@Startup
public class CaptureJobStore {
    /** Job states, as the capture status endpoint shows them. */
    public static final String RUNNING = "running";
    public static final String DONE = "done";
    public static final String FAILED = "failed";

    // Far longer than any capture takes, so a job another replica is running is never touched.
    private static final long STALE_AFTER_MILLIS = 30 * 60_000L;
    private final MongoClient mongo;
    private final String database;

    /** Result of creating a job: the new job, or the one an earlier request with the same key created. */
    public record Created(Document job, boolean existed) {
    }

    public CaptureJobStore(MongoClient mongo, @ConfigProperty(name = "tracemark.mongodb.database") String database) {
        this.mongo = mongo;
        this.database = database;
    }

    @PostConstruct
    void ensureIndexes() {
        jobs().createIndex(Indexes.ascending("tenant", "idempotencyKey"),
                new IndexOptions().unique(true).name("tenant_idempotency"));
        // A job still "running" long after it started lost its worker in a crash; say so rather than leave it hanging.
        Date stale = new Date(System.currentTimeMillis() - STALE_AFTER_MILLIS);
        jobs().updateMany(Filters.and(Filters.eq("state", RUNNING), Filters.lt("createdAt", stale)), Updates.combine(Updates.set("state", FAILED),
                Updates.set("finishedAt", new Date()),
                Updates.set("failure", "the service stopped while this job ran; resubmit the document "
                        + "(events stored before are reported as duplicates)")));
    }

    private MongoCollection<Document> jobs() {
        return mongo.getDatabase(database).getCollection("capture_jobs");
    }

    /** Inserts a running job, or returns the job an earlier request with the same key created. */
    public Created create(Document job) {
        try {
            jobs().insertOne(job);
            return new Created(job, false);
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            Document prior = jobs().find(Filters.and(Filters.eq("tenant", job.getString("tenant")),
                    Filters.eq("idempotencyKey", job.getString("idempotencyKey")))).first();
            if (prior == null) {
                throw e;
            }
            return new Created(prior, true);
        }
    }

    /** Records the end of a job with its per-event results and errors. */
    public void finish(String id, String state, List<Document> events, List<Document> errors, String failure) {
        jobs().updateOne(Filters.eq("_id", id), Updates.combine(Updates.set("state", state),
                Updates.set("finishedAt", new Date()), Updates.set("events", events), Updates.set("errors", errors),
                Updates.set("failure", failure)));
    }

    /** A tenant's job by id. */
    public Optional<Document> find(String tenant, String id) {
        return Optional.ofNullable(jobs().find(Filters.and(Filters.eq("_id", id), Filters.eq("tenant", tenant))).first());
    }
}
