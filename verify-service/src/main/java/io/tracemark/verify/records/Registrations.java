package io.tracemark.verify.records;

import io.tracemark.verify.receipts.RecordsView;
import org.bson.Document;

import java.util.List;
import java.util.Map;

/** Joins records with their anchoring state in one query and orders them by priority. */
public final class Registrations {
    private Registrations() {
    }

    /** The records as registrations, in {@link Registration#PRIORITY} order. */
    public static List<Registration> load(RecordsView view, List<Document> records) {
        Map<String, Document> anchors = view.anchors(records.stream().map(r -> r.getString("_id")).toList());
        return records.stream().map(r -> new Registration(r, anchors.get(r.getString("_id"))))
                .sorted(Registration.PRIORITY).toList();
    }
}
