package io.tracemark.verify.records;

import io.tracemark.verify.anchoring.AnchorLookup;
import io.tracemark.verify.anchoring.Anchoring;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Joins records with their anchoring, derived per block by {@link AnchorLookup}, and orders them by priority. */
@ApplicationScoped
public class Registrations {
    private final AnchorLookup anchors;

    public Registrations(AnchorLookup anchors) {
        this.anchors = anchors;
    }

    /** One record as a registration. */
    public Registration of(Document record) {
        String digest = record.getString("digest");
        return new Registration(record, digest == null ? null : anchors.anchoring(digest).orElse(null));
    }

    /** The records as registrations, their anchorings looked up together, in {@link Registration#PRIORITY} order. */
    public List<Registration> load(List<Document> records) {
        Map<String, Anchoring> byDigest = anchors.anchorings(records.stream().map(r -> r.getString("digest"))
                .filter(Objects::nonNull).toList());
        return records.stream().map(r -> new Registration(r, r.getString("digest") == null ? null
                        : byDigest.get(r.getString("digest"))))
                .sorted(Registration.PRIORITY).toList();
    }
}
