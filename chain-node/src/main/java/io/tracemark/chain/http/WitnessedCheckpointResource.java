package io.tracemark.chain.http;

import io.tracemark.chain.ChainNode;
import io.tracemark.chain.ChainReplica;
import io.tracemark.chain.tiles.TreeHashReader;
import io.tracemark.proofs.merkle.Tlog;
import io.tracemark.proofs.receipt.WitnessEvidence;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Witness evidence for a checkpoint (the receipts' {@code witnessing} section): a checkpoint at least as large,
 * cosigned by this log's witnesses, with the consistency proof to it. Witnesses need not cosign every size, so
 * the evidence for a size is often a later checkpoint.
 */
@Path("/v1/checkpoints/witnessed")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "proofs", description = "RFC 9162 inclusion and consistency proofs, C2SP tlog-proof files")
public class WitnessedCheckpointResource {
    @Inject
    ChainNode node;

    /** The witnessed checkpoint of size at least {@code from} with the most witness cosignatures, and the proof to it. */
    @GET
    @Operation(operationId = "getWitnessEvidence", summary = "Witness evidence for a checkpoint size",
            description = "Of the checkpoints this replica still serves with size at least `from`, the one with the most "
                    + "C2SP tlog-cosignature witness cosignatures (the smallest such size), with the RFC 9162 §2.1.4 "
                    + "consistency proof from `from` to it.")
    @APIResponse(responseCode = "200", description = "The evidence",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WitnessEvidence.class)))
    @APIResponse(responseCode = "400", description = "from is not a non-negative integer (type invalid-parameter)")
    @APIResponse(responseCode = "404", description = "No witness cosigned such a checkpoint yet (type not-witnessed-yet, "
            + "retriable), or this log has no witnesses (type witnesses-not-configured)")
    public WitnessEvidence witnessed(@Parameter(required = true, example = "42") @QueryParam("from") String from) {
        long f = Params.nonNegative("from", from);
        ChainReplica replica = node.replica();
        if (replica.witnessing().statuses().isEmpty()) {
            throw ProblemException.notFound("witnesses-not-configured", "Log has no witnesses",
                    "this log submits its checkpoints to no witness (tracemark.chain.witnesses is empty)");
        }
        long latest = replica.committed().treeSize();
        long size = f > latest ? -1 : replica.cosignatures().witnessedFrom(f).orElse(-1);
        String note = size < 0 ? null : replica.cosignatures().note(size).orElse(null);
        if (note == null) {
            throw ProblemException.notYet("not-witnessed-yet", "Not witnessed yet",
                    "no witness has cosigned a checkpoint of size " + f + " or more yet");
        }
        byte[][] proof = f == 0 || f == size ? new byte[0][]
                : Tlog.proveTree(size, f, new TreeHashReader(replica.storage().tiles(), size));
        List<String> hashes = Arrays.stream(proof).map(h -> Base64.getEncoder().encodeToString(h)).toList();
        return WitnessEvidence.witnessed(note, hashes);
    }
}
