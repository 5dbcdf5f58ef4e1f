package io.tracemark.infra;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

/**
 * An H2 backend that commits the MVStore after every command that changed it.
 *
 * <p>The stock backend relies on MVStore's background auto-commit (about once a second), so a write
 * acknowledged to the client is lost if the process is killed right after it. Crash-recovery tests
 * SIGKILL the infra on purpose, and they must see only data loss that MongoDB itself would cause.
 */
final class DurableH2Backend extends H2Backend {

    DurableH2Backend(String fileName) {
        super(fileName);
    }

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
        Document result = super.handleCommand(channel, databaseName, command, query);
        if (getMvStore().hasUnsavedChanges()) {
            commit();
        }
        return result;
    }
}
