package io.tracemark.attest.receipts;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.ledger.BlockHeader;
import io.tracemark.proofs.note.Notes;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Sealed blocks as attest learnt them from {@code tracemark.chain.blocks} ({@code blocks}, keyed by height).
 * Every chain-node replica publishes each block with its own checkpoint signature; the notes are merged
 * here (C2SP signed-note allows many signatures), which is how a receipt's checkpoint ends up cosigned.
 */
@ApplicationScoped
public class BlockBook {
    private static final Logger LOG = Logger.getLogger(BlockBook.class);
    private static final HexFormat HEX = HexFormat.of();

    private final MongoClient mongo;
    private final String database;

    public BlockBook(MongoClient mongo, @ConfigProperty(name = "tracemark.mongodb.database") String database) {
        this.mongo = mongo;
        this.database = database;
    }

    private MongoCollection<Document> blocks() {
        return mongo.getDatabase(database).getCollection("blocks");
    }

    /** Records a block message, merging its checkpoint signatures into those already seen for that height. */
    public void record(JsonNode block) {
        JsonNode h = block.path("header");
        BlockHeader header = header(h);
        long height = header.height();
        String note = block.path("checkpoint").asText();
        Document existing = blocks().find(Filters.eq("_id", height)).first();
        if (existing == null) {
            Document d = new Document("_id", height).append("previousHash", h.path("previousHash").asText())
                    .append("firstLeafIndex", header.firstLeafIndex()).append("leafCount", header.leafCount())
                    .append("treeSize", header.treeSize()).append("root", h.path("root").asText())
                    .append("timeMillis", header.timeMillis()).append("hash", HEX.formatHex(header.hash()))
                    .append("checkpoint", note);
            try {
                blocks().insertOne(d);
                return;
            } catch (com.mongodb.MongoWriteException raced) {
                existing = blocks().find(Filters.eq("_id", height)).first();
            }
        }
        if (!HEX.formatHex(header.hash()).equals(existing.getString("hash"))) {
            LOG.errorf("replica %s published block %d with hash %s, attest already has %s; keeping the first",
                    block.path("signer").asText(), height, HEX.formatHex(header.hash()), existing.getString("hash"));
            return;
        }
        try {
            String merged = new String(Notes.merge(existing.getString("checkpoint").getBytes(StandardCharsets.UTF_8),
                    note.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
            if (!merged.equals(existing.getString("checkpoint"))) {
                blocks().updateOne(Filters.eq("_id", height), Updates.set("checkpoint", merged));
            }
        } catch (ProofException e) {
            LOG.errorf("cannot merge checkpoint signatures of block %d from %s: %s", height, block.path("signer").asText(),
                    e.getMessage());
        }
    }

    /** A recorded block: its header and the merged checkpoint note. */
    public record Block(BlockHeader header, String checkpoint) {
    }

    /** The block at {@code height}, if recorded. */
    public Optional<Block> find(long height) {
        Document d = blocks().find(Filters.eq("_id", height)).first();
        if (d == null) {
            return Optional.empty();
        }
        BlockHeader header = new BlockHeader(height, HEX.parseHex(d.getString("previousHash")),
                d.get("firstLeafIndex", Number.class).longValue(), d.get("leafCount", Number.class).longValue(),
                d.get("treeSize", Number.class).longValue(), HEX.parseHex(d.getString("root")),
                d.get("timeMillis", Number.class).longValue());
        return Optional.of(new Block(header, d.getString("checkpoint")));
    }

    /** Parses the JSON header of a block message (hashes hex). */
    public static BlockHeader header(JsonNode h) {
        return new BlockHeader(h.path("height").asLong(), HEX.parseHex(h.path("previousHash").asText()),
                h.path("firstLeafIndex").asLong(), h.path("leafCount").asLong(), h.path("treeSize").asLong(),
                HEX.parseHex(h.path("root").asText()), h.path("timeMillis").asLong());
    }
}
