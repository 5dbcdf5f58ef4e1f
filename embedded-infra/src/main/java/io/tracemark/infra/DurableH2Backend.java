package io.tracemark.infra;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An H2 backend whose file only ever holds the state between whole commands, committed after every
 * command that changed it.
 *
 * <p>The stock backend relies on MVStore's background auto-commit (about once a second), so a write
 * acknowledged to the client is lost if the process is killed right after it. Worse, that background
 * commit can land in the middle of a command, after a document was put in the collection's data map and
 * before its {@code _id} (or other unique) index entry: a SIGKILL then leaves a file where a lookup by
 * {@code _id} finds nothing but inserting that {@code _id} fails ("Document with key … already existed"),
 * or a unique index misses an entry and lets a second copy in (both seen in the full fault suite).
 * So auto-commit is off, commands run under a shared lock, and each commit takes the lock exclusively:
 * it waits for the commands in flight and captures none half-done. Crash-recovery tests SIGKILL the
 * infra on purpose, and must see only what MongoDB itself would do.
 *
 * <p>Collections and unique indexes are opened with a {@link StoredObjectType}, which stores and orders documents
 * and index keys as H2 does at a fraction of the cost.
 */
final class DurableH2Backend extends H2Backend {
    private final ReentrantReadWriteLock wholeCommands = new ReentrantReadWriteLock();
    /**
     * Serializations of index keys and of documents, by identity; shared by every store of this JVM (an object
     * lives in one store), and static because H2's constructor opens the stored databases before this class's
     * fields are set. Documents have a smaller cache: only those on pages being rewritten are needed again.
     */
    private static final StoredObjectType.Cache KEYS = new StoredObjectType.Cache(1 << 15);
    private static final StoredObjectType.Cache DOCUMENTS = new StoredObjectType.Cache(1 << 12);

    DurableH2Backend(String fileName) {
        super(new MVStore.Builder().fileName(fileName).autoCommitDisabled().open());
    }

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
        Document result;
        wholeCommands.readLock().lock();
        try {
            result = super.handleCommand(channel, databaseName, command, query);
        } finally {
            wholeCommands.readLock().unlock();
        }
        if (getMvStore().hasUnsavedChanges()) {
            wholeCommands.writeLock().lock();
            try {
                if (getMvStore().hasUnsavedChanges()) {
                    commit();
                }
            } finally {
                wholeCommands.writeLock().unlock();
            }
        }
        return result;
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return new Database(databaseName);
    }

    /**
     * H2's database, whose collection and unique-index maps are opened with a {@link StoredObjectType} before H2
     * asks for them by name (the store hands an open map back as it is). Inner, so that the store is reachable
     * while H2's constructor already opens the stored collections and indexes.
     */
    private final class Database extends H2Database {
        Database(String name) {
            super(name, getMvStore(), getCursorRegistry());
        }

        @Override
        protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                        boolean sparse) {
            // The map name H2Database gives an index (its mapNameForIndex is private).
            getMvStore().openMap(getFullCollectionNamespace(collectionName) + "._index_" + indexName,
                    new MVMap.Builder<KeyValue, Object>().keyType(new StoredObjectType(KEYS)));
            return super.openOrCreateUniqueIndex(collectionName, indexName, keys, sparse);
        }

        @Override
        protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
            // As H2Database does, with the data map's values stored by a StoredObjectType and a collection that
            // forgets a document's serialization when the server updates it.
            String namespace = getFullCollectionNamespace(collectionName);
            MVMap<Object, Document> documents = getMvStore().openMap("databases." + namespace,
                    new MVMap.Builder<Object, Document>().valueType(new StoredObjectType(DOCUMENTS)));
            MVMap<String, Object> meta = getMvStore().openMap("meta." + namespace);
            return new Collection(this, collectionName, options, documents, meta, cursorRegistry);
        }
    }

    /** H2's collection; an update invalidates the cached serialization of the document it changes. */
    private static final class Collection extends H2Collection {
        Collection(MongoDatabase database, String name, CollectionOptions options, MVMap<Object, Document> documents,
                   MVMap<String, Object> meta, CursorRegistry cursors) {
            super(database, name, options, documents, meta, cursors);
        }

        @Override
        protected void handleUpdate(Object position, Document oldDocument, Document newDocument) {
            // The server changes a stored document in place and stores that same object again.
            DOCUMENTS.forget(oldDocument);
            DOCUMENTS.forget(newDocument);
            super.handleUpdate(position, oldDocument, newDocument);
        }
    }
}
