package io.tracemark.verify.anchoring;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.tracemark.contracts.blocks.BlockFacts;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Read-only view of attest's per-block facts ({@code blocks}, keyed by height): primary-key reads only. */
@ApplicationScoped
public class SealedBlocks {
    private static final int IN_SLICE = 64;
    private final MongoClient mongo;
    private final String database;
    private final String blocks;

    public SealedBlocks(MongoClient mongo,
                        @ConfigProperty(name = "tracemark.mongodb.database") String database,
                        @ConfigProperty(name = "tracemark.verify.blocks-collection") String blocks) {
        this.mongo = mongo;
        this.database = database;
        this.blocks = blocks;
    }

    private MongoCollection<Document> collection() {
        return mongo.getDatabase(database).getCollection(blocks);
    }

    /** The facts of the block at {@code height}, once attest has written them. */
    public Optional<SealedBlock> find(long height) {
        return Optional.ofNullable(collection().find(Filters.eq(BlockFacts.HEIGHT, height)).first()).map(SealedBlock::of);
    }

    /** The facts of those of these blocks attest has written, by height. */
    public Map<Long, SealedBlock> find(Collection<Long> heights) {
        Map<Long, SealedBlock> out = new HashMap<>();
        List<Long> all = new ArrayList<>(heights);
        // Short $in lists: the embedded wire server re-matches every hit against the whole list.
        for (int i = 0; i < all.size(); i += IN_SLICE) {
            for (Document d : collection().find(Filters.in(BlockFacts.HEIGHT, all.subList(i, Math.min(all.size(), i + IN_SLICE))))) {
                SealedBlock b = SealedBlock.of(d);
                out.put(b.height(), b);
            }
        }
        return out;
    }
}
