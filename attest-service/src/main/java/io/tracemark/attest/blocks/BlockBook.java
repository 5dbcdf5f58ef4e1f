package io.tracemark.attest.blocks;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.tracemark.contracts.blocks.BlockFacts;
import io.tracemark.contracts.blocks.BlockMessage;
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
 * The per-block facts collection ({@link BlockFacts}): one document per sealed block, the checkpoint note
 * carrying every replica signature seen so far (C2SP signed-note allows many). ingest and verify derive a
 * record's anchoring state from it and the chain node's leaf index; nothing is written per record.
 */
@ApplicationScoped
public class BlockBook {
    private static final Logger LOG = Logger.getLogger(BlockBook.class);
    private static final HexFormat HEX = HexFormat.of();

    private final MongoClient mongo;
    private final String database;
    private final String collection;

    public BlockBook(MongoClient mongo, @ConfigProperty(name = "tracemark.mongodb.database") String database,
                     @ConfigProperty(name = "tracemark.attest.blocks-collection", defaultValue = BlockFacts.COLLECTION) String collection) {
        this.mongo = mongo;
        this.database = database;
        this.collection = collection;
    }

    private MongoCollection<Document> blocks() {
        return mongo.getDatabase(database).getCollection(collection);
    }

    /** A recorded block: its header and its checkpoint note with the signatures merged. */
    public record Block(BlockHeader header, String checkpoint) {
    }

    /**
     * Records a block with the checkpoint note given (already merged from the copies in hand), merging it
     * with what is stored; returns the stored result. One insert for a new block; for a known one a failed insert,
     * a read and an update when its signatures are new.
     */
    public Block record(BlockHeader header, String note) {
        long height = header.height();
        Document existing;
        // Insert first: a new block (the usual case) costs one command, not a read and a write.
        try {
            blocks().insertOne(document(header, note));
            return new Block(header, note);
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            existing = blocks().find(Filters.eq(BlockFacts.HEIGHT, height)).first();
        }
        if (existing == null) {
            throw new IllegalStateException("block " + height + " reported as a duplicate but not found");
        }
        return merged(header, note, existing);
    }

    /**
     * Adds the signatures of a late copy of a block recorded already (anchored before this replica's copy came);
     * records it if it is not. A read, and an update only when a signature is new.
     */
    public Block addSignatures(BlockHeader header, String note) {
        Document existing = blocks().find(Filters.eq(BlockFacts.HEIGHT, header.height())).first();
        return existing == null ? record(header, note) : merged(header, note, existing);
    }

    private Block merged(BlockHeader header, String note, Document existing) {
        long height = header.height();
        String stored = existing.getString(BlockFacts.CHECKPOINT);
        if (!HEX.formatHex(header.hash()).equals(existing.getString(BlockFacts.HASH))) {
            LOG.errorf("block %d has hash %s but %s is recorded; keeping the recorded one", height,
                    HEX.formatHex(header.hash()), existing.getString(BlockFacts.HASH));
            return new Block(header(existing), stored);
        }
        String merged = merge(height, stored, note);
        if (!merged.equals(stored)) {
            blocks().updateOne(Filters.eq(BlockFacts.HEIGHT, height), Updates.set(BlockFacts.CHECKPOINT, merged));
        }
        return new Block(header, merged);
    }

    /** The block at {@code height}, if recorded. */
    public Optional<Block> find(long height) {
        Document d = blocks().find(Filters.eq(BlockFacts.HEIGHT, height)).first();
        return d == null ? Optional.empty() : Optional.of(new Block(header(d), d.getString(BlockFacts.CHECKPOINT)));
    }

    /** Merges the signatures of two notes over the same checkpoint; keeps {@code a} if they cannot be merged. */
    public static String merge(long height, String a, String b) {
        try {
            return new String(Notes.merge(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)),
                    StandardCharsets.UTF_8);
        } catch (ProofException e) {
            LOG.errorf(e, "cannot merge checkpoint signatures of block %d; keeping the first copy's", height);
            return a;
        }
    }

    /** The proofs header of a block message (hashes hex). */
    public static BlockHeader header(BlockMessage.Header h) {
        return new BlockHeader(h.height(), HEX.parseHex(h.previousHash()), h.firstLeafIndex(), h.leafCount(), h.treeSize(),
                HEX.parseHex(h.root()), h.timeMillis());
    }

    private static BlockHeader header(Document d) {
        return new BlockHeader(d.get(BlockFacts.HEIGHT, Number.class).longValue(), HEX.parseHex(d.getString(BlockFacts.PREVIOUS_HASH)),
                d.get(BlockFacts.FIRST_LEAF_INDEX, Number.class).longValue(), d.get(BlockFacts.LEAF_COUNT, Number.class).longValue(),
                d.get(BlockFacts.TREE_SIZE, Number.class).longValue(), HEX.parseHex(d.getString(BlockFacts.ROOT)),
                d.get(BlockFacts.TIME_MILLIS, Number.class).longValue());
    }

    private static Document document(BlockHeader h, String note) {
        return new Document(BlockFacts.HEIGHT, h.height()).append(BlockFacts.PREVIOUS_HASH, HEX.formatHex(h.previousHash()))
                .append(BlockFacts.FIRST_LEAF_INDEX, h.firstLeafIndex()).append(BlockFacts.LEAF_COUNT, h.leafCount())
                .append(BlockFacts.TREE_SIZE, h.treeSize()).append(BlockFacts.ROOT, HEX.formatHex(h.root()))
                .append(BlockFacts.TIME_MILLIS, h.timeMillis()).append(BlockFacts.HASH, HEX.formatHex(h.hash()))
                .append(BlockFacts.CHECKPOINT, note);
    }
}
