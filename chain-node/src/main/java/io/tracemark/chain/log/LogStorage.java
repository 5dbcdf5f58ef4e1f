package io.tracemark.chain.log;

import io.tracemark.chain.tiles.TileStore;
import io.tracemark.chain.tiles.TreeHashReader;
import io.tracemark.proofs.merkle.CompactRange;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The replica's local materialised view of the leaves topic, opened and recovered: after a torn
 * write (kill -9 at any instant) files are cut back to the last durable state, and if that state
 * is missing, damaged or does not match the files, everything is deleted and rebuilt from offset 0.
 */
public final class LogStorage implements Closeable {
    private static final Logger LOG = Logger.getLogger(LogStorage.class);

    private final TileStore tiles;
    private final BlockStore blocks;
    private final LeafIndex index;
    private final StateFile stateFile;
    private final LogState state;
    private final CompactRange range;
    private final LeafIndexSync indexSync;

    private LogStorage(TileStore tiles, BlockStore blocks, LeafIndex index, StateFile stateFile, LogState state,
            CompactRange range) {
        this.tiles = tiles;
        this.blocks = blocks;
        this.index = index;
        this.stateFile = stateFile;
        this.state = state;
        this.range = range;
        LeafIndexSync.catchUp(index, tiles, state.treeSize());
        this.indexSync = new LeafIndexSync(index, state.treeSize());
    }

    /** Opens the log under {@code dataDir}, repairing or discarding what a crash left behind. */
    public static LogStorage open(Path dataDir) {
        Path logDir = dataDir.resolve("log");
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StateFile stateFile = new StateFile(logDir);
        LogState state;
        try {
            state = stateFile.read().orElse(LogState.EMPTY);
        } catch (IllegalStateException e) {
            LOG.warnf(e, "log state in %s is unreadable; rebuilding the log from the topic", logDir);
            wipe(logDir);
            state = LogState.EMPTY;
        }
        LogStorage opened = tryOpen(logDir, stateFile, state);
        if (opened == null) {
            LOG.warnf("local log in %s does not match its state (size %d); rebuilding from the topic", logDir,
                    state.treeSize());
            wipe(logDir);
            opened = tryOpen(logDir, stateFile, LogState.EMPTY);
        }
        LOG.infof("chain log opened at tree size %d, %d blocks, resuming at offset %d", opened.state.treeSize(),
                opened.state.blocks(), opened.state.nextOffset());
        return opened;
    }

    private static LogStorage tryOpen(Path logDir, StateFile stateFile, LogState state) {
        TileStore tiles = new TileStore(logDir.resolve("tree"));
        BlockStore blocks = new BlockStore(logDir);
        LeafIndex index = new LeafIndex(logDir.resolve("leaf-index"));
        if (!tiles.holds(state.treeSize()) || !blocks.holds(state.blocks(), state.blocksDataLength())) {
            closeAll(tiles, blocks, index);
            return null;
        }
        tiles.truncate(state.treeSize());
        blocks.truncate(state.blocks(), state.blocksDataLength());
        CompactRange range = CompactRange.resume(state.treeSize(), new TreeHashReader(tiles, state.treeSize()));
        if (state.lastHeader() != null && !Arrays.equals(range.root(), state.lastHeader().root())) {
            closeAll(tiles, blocks, index);
            return null;
        }
        return new LogStorage(tiles, blocks, index, stateFile, state, range);
    }

    private static void wipe(Path logDir) {
        try (Stream<Path> walk = Files.walk(logDir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(logDir)) {
                    Files.delete(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + logDir, e);
        }
    }

    private static void closeAll(Closeable... cs) {
        for (Closeable c : cs) {
            try {
                c.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The recovered durable state. */
    public LogState state() {
        return state;
    }

    /** The tree's right edge at the recovered size. */
    public CompactRange range() {
        return range;
    }

    /** Tile storage. */
    public TileStore tiles() {
        return tiles;
    }

    /** Block storage. */
    public BlockStore blocks() {
        return blocks;
    }

    /** Leaf hash index. */
    public LeafIndex index() {
        return index;
    }

    /** Makes a batch of commits durable: data first, then the state that points at it. */
    public void commit(LogState newState) {
        tiles.force();
        blocks.force();
        stateFile.write(newState);
        indexSync.committed(newState.treeSize());
    }

    @Override
    public void close() {
        indexSync.close();
        closeAll(tiles, blocks, index);
    }
}
