package io.tracemark.ingest.anchor;

import io.tracemark.contracts.ledger.LeafPosition;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.tracemark.contracts.blocks.BlockFacts;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A record's anchoring state, derived rather than stored: the chain node says which leaf and sealed block
 * hold the record's digest ({@code GET /v1/leaves?hash=}), and the per-block facts collection
 * ({@link BlockFacts}, written by attest once per block) says what that block is. Nothing is written per
 * record when it gets anchored.
 *
 * <p>The chain-node replicas ({@code tracemark.ingest.chain-node-url}, comma-separated) are asked in turn, the one
 * that answered last first, with short timeouts ({@code tracemark.ingest.chain-node-connect-timeout},
 * {@code …-read-timeout}); when none can answer, the state is the stored one, marked {@link #STORE_ONLY}, so a
 * ledger outage degrades status reads instead of failing them, and one replica down changes nothing.
 */
@ApplicationScoped
public class AnchoringStatus {
    /** Status of a record whose leaf is in a sealed block with known facts. */
    public static final String ANCHORED = "anchored";
    /** Status of a stored record not (yet) known to be in a sealed block. */
    public static final String ACCEPTED = "accepted";
    /** {@code statusSource} when the chain node answered. */
    public static final String LEDGER = "ledger";
    /** {@code statusSource} when the chain node could not be asked and the stored status is all there is. */
    public static final String STORE_ONLY = "store-only";

    private static final Logger LOG = Logger.getLogger(AnchoringStatus.class);

    /** One client per chain-node replica, in configured order. */
    private final List<ChainNodeLeaves> replicas;
    /** The replica that answered last, asked first next time. */
    private volatile int preferred;
    private final MongoClient mongo;
    private final String database;
    private final String blocks;

    /** Where a record's leaf is and what its block is. */
    public record Anchoring(long leafIndex, long blockHeight, long treeSize, String blockHash, String anchoredAt,
                            String checkpoint) {
    }

    /**
     * A record's status.
     *
     * @param status       {@value #ANCHORED} or the stored status ({@value #ACCEPTED})
     * @param statusSource {@value #LEDGER} or {@value #STORE_ONLY}
     * @param anchoring    where it is anchored, or {@code null}
     */
    public record State(String status, String statusSource, Anchoring anchoring) {
    }

    public AnchoringStatus(MongoClient mongo,
                           @ConfigProperty(name = "tracemark.mongodb.database") String database,
                           @ConfigProperty(name = "tracemark.ingest.blocks-collection", defaultValue = BlockFacts.COLLECTION) String blocks,
                           @ConfigProperty(name = "tracemark.ingest.chain-node-url", defaultValue = "http://localhost:8083") List<URI> chainNodeUrls,
                           @ConfigProperty(name = "tracemark.ingest.chain-node-connect-timeout", defaultValue = "1s") Duration connectTimeout,
                           @ConfigProperty(name = "tracemark.ingest.chain-node-read-timeout", defaultValue = "2s") Duration readTimeout) {
        this.mongo = mongo;
        this.database = database;
        this.blocks = blocks;
        this.replicas = chainNodeUrls.stream().map(url -> QuarkusRestClientBuilder.newBuilder()
                .baseUri(url)
                .connectTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(readTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .build(ChainNodeLeaves.class)).toList();
    }

    /** What the ledger said of a digest: where its leaf is, or (null) that no sealed block holds it yet. */
    private record Lookup(LeafPosition at) {
    }

    /**
     * Asks the replicas in turn, starting with the one that answered last (every replica builds the same tree, so
     * any may answer); empty when none could: unreachable, timed out, or an answer other than a position or a 404.
     */
    private Optional<Lookup> lookup(String digest) {
        int start = preferred;
        for (int i = 0; i < replicas.size(); i++) {
            int at = (start + i) % replicas.size();
            try {
                LeafPosition found = replicas.get(at).find(digest);
                preferred = at;
                return Optional.of(new Lookup(found));
            } catch (WebApplicationException e) {
                if (e.getResponse() != null && e.getResponse().getStatus() == 404) {
                    preferred = at;
                    return Optional.of(new Lookup(null));
                }
                LOG.debugf("chain node replica %d answered %s to a leaf lookup; asking the next", at + 1, e.getMessage());
            } catch (RuntimeException e) {
                LOG.debugf("chain node replica %d leaf lookup failed (%s); asking the next", at + 1, e.toString());
            }
        }
        return Optional.empty();
    }

    /** The state of a stored record document ({@code digest}, {@code status}). */
    public State of(Document record) {
        String stored = record.getString("status") == null ? ACCEPTED : record.getString("status");
        Optional<Lookup> asked = lookup(record.getString("digest"));
        if (asked.isEmpty()) {
            // No replica could say: the ledger's view is unknown, not negative.
            return new State(stored, STORE_ONLY, null);
        }
        LeafPosition at = asked.get().at();
        if (at == null) {
            // Not in a sealed block yet.
            return new State(stored, LEDGER, null);
        }
        if (at.blockHeight() == null) {
            // A chain node that does not report block heights cannot tell which block's facts apply.
            return new State(stored, STORE_ONLY, null);
        }
        Document facts = blocks().find(Filters.eq(BlockFacts.HEIGHT, at.blockHeight())).first();
        if (facts == null || !holds(facts, at.index())) {
            // Sealed, but attest has not recorded the block's facts (yet): not anchored as far as we can show.
            return new State(stored, LEDGER, null);
        }
        return new State(ANCHORED, LEDGER, new Anchoring(at.index(), at.blockHeight(),
                number(facts, BlockFacts.TREE_SIZE), facts.getString(BlockFacts.HASH),
                Instant.ofEpochMilli(number(facts, BlockFacts.TIME_MILLIS)).toString(),
                facts.getString(BlockFacts.CHECKPOINT)));
    }

    /** Whether the block's leaf range holds the index (a stale or foreign facts document must not anchor it). */
    private static boolean holds(Document facts, long leafIndex) {
        if (!(facts.get(BlockFacts.TREE_SIZE) instanceof Number) || !(facts.get(BlockFacts.TIME_MILLIS) instanceof Number)) {
            return false;
        }
        if (facts.get(BlockFacts.FIRST_LEAF_INDEX) instanceof Number first && facts.get(BlockFacts.LEAF_COUNT) instanceof Number count) {
            return leafIndex >= first.longValue() && leafIndex < first.longValue() + count.longValue();
        }
        return leafIndex < number(facts, BlockFacts.TREE_SIZE);
    }

    private static long number(Document d, String field) {
        return ((Number) d.get(field)).longValue();
    }

    private MongoCollection<Document> blocks() {
        return mongo.getDatabase(database).getCollection(blocks);
    }

    @PreDestroy
    void close() {
        for (ChainNodeLeaves r : replicas) {
            try {
                r.close();
            } catch (Exception e) {
                // Shutting down; the connections go with the application.
            }
        }
    }
}
