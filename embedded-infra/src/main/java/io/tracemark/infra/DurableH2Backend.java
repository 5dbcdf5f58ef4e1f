package io.tracemark.infra;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import org.h2.mvstore.MVStore;

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
 */
final class DurableH2Backend extends H2Backend {
    private final ReentrantReadWriteLock wholeCommands = new ReentrantReadWriteLock();

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
}
