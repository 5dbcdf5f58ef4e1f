package io.tracemark.proofs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.cosignature.WitnessPolicy;
import io.tracemark.proofs.note.Note;
import io.tracemark.proofs.note.VerifierSet;
import io.tracemark.proofs.receipt.TimestampTokens;
import io.tracemark.proofs.receipt.VerificationPolicy;
import io.tracemark.proofs.tlogproof.TlogProof;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * What the verifier trusts: note verifier keys, how many must have signed, the origin, TSA certificates, and the
 * witnesses of which k must have cosigned.
 */
final class TrustOptions {
    @Option(names = "--key", paramLabel = "<name+id+base64>", description = "trusted note verifier key (repeatable)")
    List<String> keys = new ArrayList<>();

    @Option(names = "--keys", paramLabel = "<file>",
            description = "file with one verifier key per line, or the /v1/keys JSON of verify (every replica's TSA) or of a chain node (repeatable)")
    List<Path> keyFiles = new ArrayList<>();

    @Option(names = "--threshold", paramLabel = "<n>",
            description = "distinct trusted signatures required (default: every trusted key)")
    Integer threshold;

    @Option(names = "--origin", paramLabel = "<origin>", description = "expected checkpoint origin (default: as signed)")
    String origin;

    @Option(names = "--tsa-cert", paramLabel = "<pem file>",
            description = "trusted RFC 3161 TSA certificate, the log's or an external authority's (repeatable; --keys "
                    + "with /v1/keys JSON adds the log's and its configured authorities')")
    List<Path> tsaCerts = new ArrayList<>();

    @Option(names = "--witness", paramLabel = "<vkey>",
            description = "trusted witness, a C2SP tlog-cosignature verifier key name+id+base64 (repeatable)")
    List<String> witnesses = new ArrayList<>();

    @Option(names = "--witness-threshold", paramLabel = "<k>",
            description = "trusted witnesses that must have cosigned (default: every --witness)")
    Integer witnessThreshold;

    /** The trusted keys; a usage error when there is none or one does not parse. */
    VerifierSet keys(CommandSpec spec) {
        List<String> all = new ArrayList<>(keys);
        for (Path f : keyFiles) {
            all.addAll(read(spec, f).keys());
        }
        if (all.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "no trusted verifier key: give --key or --keys");
        }
        try {
            return VerifierSet.parse(all);
        } catch (ProofException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The given threshold, or every trusted key: one replica alone must not be able to vouch for the log. */
    int threshold(CommandSpec spec, VerifierSet trusted) {
        if (threshold == null) {
            return trusted.size();
        }
        if (threshold < 1) {
            throw new ParameterException(spec.commandLine(), "--threshold must be a positive integer, not " + threshold);
        }
        return threshold;
    }

    /** The receipt verification policy these options describe. */
    VerificationPolicy policy(CommandSpec spec, boolean requireTimestamp) {
        VerifierSet trusted = keys(spec);
        List<X509CertificateHolder> tsa = new ArrayList<>();
        for (Path f : keyFiles) {
            tsa.addAll(read(spec, f).tsa());
        }
        for (Path f : tsaCerts) {
            try {
                tsa.add(TimestampTokens.parseCertificatePem(Files.readString(f)));
            } catch (IOException | IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "cannot read TSA certificate " + f + ": " + e.getMessage());
            }
        }
        return new VerificationPolicy(origin, trusted, threshold(spec, trusted), tsa, requireTimestamp)
                .withWitnesses(witnessPolicy(spec), true);
    }

    /** k of the given witnesses, every one unless {@code --witness-threshold} says fewer; none without {@code --witness}. */
    WitnessPolicy witnessPolicy(CommandSpec spec) {
        if (witnesses.isEmpty()) {
            if (witnessThreshold != null) {
                throw new ParameterException(spec.commandLine(), "--witness-threshold needs at least one --witness");
            }
            return WitnessPolicy.none();
        }
        int k = witnessThreshold == null ? witnesses.size() : witnessThreshold;
        if (k < 1 || k > witnesses.size()) {
            throw new ParameterException(spec.commandLine(), "--witness-threshold must be 1 to " + witnesses.size()
                    + " (the number of --witness keys), not " + k);
        }
        try {
            return WitnessPolicy.parse(witnesses, k);
        } catch (ProofException e) {
            throw new ParameterException(spec.commandLine(), "--witness: " + e.getMessage());
        }
    }

    /** The given origin, or the one the proof's checkpoint was signed for (the trusted keys bind it). */
    String origin(byte[] proofFile) {
        if (origin != null) {
            return origin;
        }
        Note note = Note.parse(TlogProof.parse(proofFile).signedCheckpoint());
        return note.text().substring(0, note.text().indexOf('\n'));
    }

    private record KeyFile(List<String> keys, List<X509CertificateHolder> tsa) {
    }

    private static KeyFile read(CommandSpec spec, Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read " + path + ": " + e.getMessage());
        }
        List<String> keys = new ArrayList<>();
        List<X509CertificateHolder> tsa = new ArrayList<>();
        if (text.stripLeading().startsWith("{")) {
            try {
                JsonNode n = new ObjectMapper().readTree(text);
                n.path("verifierKeys").forEach(k -> keys.add(k.asText()));
                if (n.hasNonNull("tsaCertificate")) {
                    tsa.add(TimestampTokens.parseCertificatePem(n.get("tsaCertificate").asText()));
                }
                // verify's /v1/keys lists every replica's TSA, since a receipt's token may come from any replica.
                for (JsonNode c : n.path("tsaCertificates")) {
                    X509CertificateHolder cert = TimestampTokens.parseCertificatePem(c.asText());
                    if (!tsa.contains(cert)) {
                        tsa.add(cert);
                    }
                }
                // The external authorities the log's operator configured, each with its certificate.
                for (JsonNode a : n.path("timestampAuthorities")) {
                    tsa.add(TimestampTokens.parseCertificatePem(a.path("certificate").asText()));
                }
            } catch (IOException | IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "cannot read " + path + ": " + e.getMessage());
            }
        } else {
            text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(keys::add);
        }
        return new KeyFile(keys, tsa);
    }
}
