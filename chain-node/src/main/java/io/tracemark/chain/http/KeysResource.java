package io.tracemark.chain.http;

import io.tracemark.chain.ChainNode;
import io.tracemark.proofs.note.NoteVerifier;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Keys needed to verify this log offline: note verifier keys of every cosigning replica and the TSA certificate. */
@Path("/v1/keys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "keys")
public class KeysResource {
    @Inject
    ChainNode node;

    /**
     * Key set.
     *
     * @param origin         checkpoint origin
     * @param verifierKeys   C2SP note verifier keys, this replica's first
     * @param tsaCertificate PEM certificate of this replica's RFC 3161 TSA
     */
    public record Keys(String origin, List<String> verifierKeys, String tsaCertificate) {
    }

    /** This replica's and the trusted cosigners' keys. */
    @GET
    @Operation(summary = "Verification keys")
    public Keys keys() {
        List<String> keys = new ArrayList<>();
        String own = node.replica().signer().verifier().verifierKey();
        keys.add(own);
        for (NoteVerifier v : node.replica().trust().trusted()) {
            if (!v.verifierKey().equals(own)) {
                keys.add(v.verifierKey());
            }
        }
        return new Keys(node.replica().config().origin(), keys, node.replica().timestamper().certificatePem());
    }
}
