package io.tracemark.attest.claims;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import io.tracemark.proofs.media.PerceptualHash;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Media works that are the same file as, or whose image is within Hamming distance {@value #NEAR} of, given works,
 * read from ingest's collections with keyed reads only: the works by {@code _id}, candidates through the
 * {@code digests} (file SHA-256) and {@code work_chunks} (position-tagged pHash chunks, multi-index hashing,
 * {@link PerceptualHash#taggedProbes}) lookups, then the candidates by {@code _id}.
 */
@ApplicationScoped
public class WorkMatches {
    static final int NEAR = 10;
    private static final int IN_CHUNK = 500;

    /** A registered media work as stored: id, registrant, record digest, file SHA-256 and pHash (or null). */
    public record Work(String id, String tenant, String digest, String sha256, Long phash) {
        /** Whether {@code other} is the same file or a near-duplicate image. */
        boolean matches(Work other) {
            return sha256.equals(other.sha256) || phash != null && other.phash != null
                    && PerceptualHash.distance(phash, other.phash) <= NEAR;
        }
    }

    private final MongoClient mongo;
    private final String database;
    private final String records;
    private final String fileDigests;
    private final String workChunks;

    public WorkMatches(MongoClient mongo, @ConfigProperty(name = "tracemark.mongodb.database") String database,
                       @ConfigProperty(name = "tracemark.attest.records-collection", defaultValue = "records") String records,
                       @ConfigProperty(name = "tracemark.attest.work-digests-collection", defaultValue = "digests") String fileDigests,
                       @ConfigProperty(name = "tracemark.attest.work-chunks-collection", defaultValue = "work_chunks") String workChunks) {
        this.mongo = mongo;
        this.database = database;
        this.records = records;
        this.fileDigests = fileDigests;
        this.workChunks = workChunks;
    }

    private MongoCollection<Document> collection(String name) {
        return mongo.getDatabase(database).getCollection(name);
    }

    /** The stored works with these ids; ids of records that are not media works are absent. */
    public Map<String, Work> works(Collection<String> ids) {
        Map<String, Work> out = new HashMap<>();
        for (List<String> part : chunks(new ArrayList<>(ids))) {
            collection(records).find(Filters.in("_id", part))
                    .projection(Projections.include("tenant", "digest", "keys.sha256", "keys.phash"))
                    .forEach(d -> {
                        Document k = d.get("keys", Document.class);
                        if (k != null && k.getString("sha256") != null) {
                            String ph = k.getString("phash");
                            out.put(d.getString("_id"), new Work(d.getString("_id"), d.getString("tenant"), d.getString("digest"),
                                    k.getString("sha256"), ph == null ? null : PerceptualHash.parse(ph)));
                        }
                    });
        }
        return out;
    }

    /** Every stored work matching one of {@code works} (themselves included), by id. */
    public Map<String, Work> candidates(Collection<Work> works) {
        Set<Object> shas = new LinkedHashSet<>();
        Set<Object> probes = new LinkedHashSet<>();
        for (Work w : works) {
            shas.add(w.sha256());
            if (w.phash() != null) {
                probes.addAll(PerceptualHash.taggedProbes(w.phash(), NEAR));
            }
        }
        Set<String> ids = new LinkedHashSet<>();
        idsUnder(fileDigests, shas, ids);
        idsUnder(workChunks, probes, ids);
        return works(ids);
    }

    private void idsUnder(String lookup, Set<Object> keys, Set<String> out) {
        for (List<Object> part : chunks(new ArrayList<>(keys))) {
            collection(lookup).find(Filters.in("_id", part)).forEach(d -> out.addAll(d.getList("ids", String.class, List.of())));
        }
    }

    private static <T> List<List<T>> chunks(List<T> all) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += IN_CHUNK) {
            out.add(all.subList(i, Math.min(all.size(), i + IN_CHUNK)));
        }
        return out;
    }
}
