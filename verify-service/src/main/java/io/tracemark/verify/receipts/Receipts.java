package io.tracemark.verify.receipts;

import io.tracemark.proofs.receipt.Receipt;
import io.tracemark.verify.anchoring.AnchorLookup;
import io.tracemark.verify.anchoring.Anchoring;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;

import java.util.Optional;

/** The receipt of a record by id, as the public endpoints serve and verify it. */
@ApplicationScoped
public class Receipts {
    private final RecordsView view;
    private final AnchorLookup anchors;
    private final ReceiptAssembler assembler;

    public Receipts(RecordsView view, AnchorLookup anchors, ReceiptAssembler assembler) {
        this.view = view;
        this.anchors = anchors;
        this.assembler = assembler;
    }

    /**
     * The record's receipt, empty while it exists but is not anchored yet.
     *
     * @throws io.tracemark.edge.problem.ProblemException 404 {@code not-found} if no record has this id
     */
    public Optional<Receipt> of(String recordId) {
        if (!RecordIds.isValid(recordId)) {
            throw RecordIds.notFound();
        }
        Document record = view.record(recordId).orElseThrow(RecordIds::notFound);
        String digest = record.getString("digest");
        Optional<Anchoring> anchoring = digest == null ? Optional.empty() : anchors.anchoring(digest);
        return anchoring.map(a -> assembler.receipt(record, a));
    }
}
