package io.tracemark.chain.http;

import io.tracemark.chain.ChainNode;
import io.tracemark.contracts.ledger.LedgerKeys;
import io.tracemark.contracts.ledger.LedgerKeysCodec;
import io.tracemark.proofs.note.NoteVerifier;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Keys needed to verify this log offline: note verifier keys of every cosigning replica and the TSA certificate. */
@Path("/v1/keys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "keys", description = "Keys that verify this log offline")
public class KeysResource {
    @Inject
    ChainNode node;

    /** This replica's and the trusted cosigners' keys. */
    @GET
    @Operation(operationId = "getKeys", summary = "Verification keys")
    @APIResponse(responseCode = "200", description = "Note verifier keys (this replica's first), the TSA certificate and the external "
                    + "time-stamping authorities with their certificates",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LedgerKeys.class)))
    public Response keys() {
        List<String> keys = new ArrayList<>();
        String own = node.replica().signer().verifier().verifierKey();
        keys.add(own);
        for (NoteVerifier v : node.replica().trust().trusted()) {
            if (!v.verifierKey().equals(own)) {
                keys.add(v.verifierKey());
            }
        }
        // Written by the contracts' codec, which verify and attest read it with.
        return Response.ok(LedgerKeysCodec.encode(new LedgerKeys(node.replica().config().origin(), keys,
                node.replica().timestamper().certificatePem(), node.replica().authorities().published())),
                MediaType.APPLICATION_JSON).build();
    }
}
