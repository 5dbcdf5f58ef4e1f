package io.tracemark.proofs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.note.VerifierSet;
import io.tracemark.proofs.receipt.CheckCode;
import io.tracemark.proofs.receipt.Receipt;
import io.tracemark.proofs.receipt.ReceiptCheck;
import io.tracemark.proofs.receipt.ReceiptJson;
import io.tracemark.proofs.receipt.ReceiptVerifier;
import io.tracemark.proofs.receipt.TimestampTokens;
import io.tracemark.proofs.receipt.VerificationPolicy;
import io.tracemark.proofs.tlogproof.TlogProofVerifier;
import io.tracemark.proofs.tlogproof.VerifiedTlogProof;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Offline verifier: checks a Tracemark receipt or a C2SP {@code .tlog-proof} against trusted note
 * verifier keys with a signature threshold, and prints one line. Exit status 0 = valid, 1 = invalid,
 * 2 = usage error or unreadable input.
 */
public final class VerifyCli {
    static final String USAGE = """
            usage: verify receipt <receipt.json> [options]
                   verify tlog-proof <file.tlog-proof> --digest <hex> [options]
            options:
              --key <name+id+base64>   trusted note verifier key (repeatable)
              --keys <file>            file with one verifier key per line, or chain-node /v1/keys JSON
              --threshold <n>          distinct trusted signatures required (default: every trusted key)
              --origin <origin>        expected checkpoint origin (default: as signed)
              --tsa-cert <pem file>    trusted RFC 3161 TSA certificate (repeatable; --keys with /v1/keys JSON adds its own)
              --require-timestamp      fail a receipt that carries no time-stamp token""";

    private VerifyCli() {
    }

    /** Entry point of the runnable jar. */
    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /** Runs the verifier and returns the exit status; prints exactly one line to {@code out}. */
    public static int run(String[] args, PrintStream out) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException | IOException e) {
            out.println("ERROR " + e.getMessage());
            if (e instanceof IllegalArgumentException) {
                System.err.println(USAGE);
            }
            return 2;
        }
        try {
            return "receipt".equals(o.command) ? receipt(o, out) : tlogProof(o, out);
        } catch (IOException e) {
            out.println("ERROR cannot read " + o.file + ": " + e.getMessage());
            return 2;
        }
    }

    private static int receipt(Options o, PrintStream out) throws IOException {
        Receipt r;
        try {
            r = ReceiptJson.read(Files.readAllBytes(o.file));
        } catch (IllegalArgumentException e) {
            out.println("FAIL receipt.format.valid: " + oneLine(e.getMessage()));
            return 1;
        }
        List<ReceiptCheck> checks = ReceiptVerifier.verify(r, o.policy());
        Optional<ReceiptCheck> failed = ReceiptVerifier.firstFailure(checks);
        if (failed.isPresent()) {
            ReceiptCheck c = failed.get();
            out.println("FAIL " + c.code() + ": " + oneLine(c.detail())
                    + (c.expected() == null && c.computed() == null ? ""
                            : " (expected " + c.expected() + ", computed " + c.computed() + ")"));
            return 1;
        }
        long passed = checks.stream().filter(c -> c.status() == ReceiptCheck.Status.PASS).count();
        long skipped = checks.size() - passed;
        out.println("OK record " + r.record().id() + " is leaf " + r.leafIndex() + " of block " + r.block().height()
                + "; " + signers(checks) + "; " + timeEvidence(checks)
                + " (" + passed + " checks passed" + (skipped > 0 ? ", " + skipped + " skipped" : "") + ")");
        return 0;
    }

    /** How many trusted keys signed the checkpoint, of how many, against which threshold. */
    private static String signers(List<ReceiptCheck> checks) {
        ReceiptCheck c = find(checks, CheckCode.CHECKPOINT_SIGNATURE);
        return "checkpoint signed by " + c.facts().get("validSignatures") + " of " + c.facts().get("trustedKeys")
                + " trusted keys (threshold " + c.facts().get("threshold") + ")";
    }

    /** Which time evidence was checked: the RFC 3161 token's time, TSA and stamped checkpoint, or none. */
    private static String timeEvidence(List<ReceiptCheck> checks) {
        ReceiptCheck c = find(checks, CheckCode.TIMESTAMP_TOKEN);
        if (c.status() != ReceiptCheck.Status.PASS) {
            return "no RFC 3161 time-stamp token, so no time is proven";
        }
        return "time-stamped " + c.facts().get("genTime") + " by trusted TSA '" + c.facts().get("tsa")
                + "' over the checkpoint of tree size " + c.facts().get("checkpointTreeSize");
    }

    private static ReceiptCheck find(List<ReceiptCheck> checks, String code) {
        return checks.stream().filter(c -> c.code().equals(code)).findFirst().orElseThrow();
    }

    private static int tlogProof(Options o, PrintStream out) throws IOException {
        byte[] file = Files.readAllBytes(o.file);
        try {
            VerifiedTlogProof v = TlogProofVerifier.verifyLeafData(file, o.digest, o.origin(file), o.keys, o.threshold());
            out.println("OK leaf " + v.index() + " of tree size " + v.checkpoint().checkpoint().size()
                    + ", signed by " + v.checkpoint().verifiedBy().size() + " trusted key(s)");
            return 0;
        } catch (ProofException e) {
            out.println("FAIL " + oneLine(e.getMessage()));
            return 1;
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").strip();
    }

    /** Parsed command line. */
    private static final class Options {
        String command;
        Path file;
        byte[] digest;
        VerifierSet keys;
        Integer threshold;
        String origin;
        boolean requireTimestamp;
        final List<X509CertificateHolder> tsa = new ArrayList<>();

        static Options parse(String[] args) throws IOException {
            if (args.length < 2 || !(args[0].equals("receipt") || args[0].equals("tlog-proof"))) {
                throw new IllegalArgumentException("expected 'receipt <file>' or 'tlog-proof <file>'");
            }
            Options o = new Options();
            o.command = args[0];
            o.file = Path.of(args[1]);
            List<String> keys = new ArrayList<>();
            for (int i = 2; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--require-timestamp")) {
                    o.requireTimestamp = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--key" -> keys.add(v);
                    case "--keys" -> o.readKeys(Path.of(v), keys);
                    case "--threshold" -> o.threshold = threshold(v);
                    case "--origin" -> o.origin = v;
                    case "--tsa-cert" -> o.tsa.add(TimestampTokens.parseCertificatePem(Files.readString(Path.of(v))));
                    case "--digest" -> o.digest = digest(v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("no trusted verifier key: give --key or --keys");
            }
            try {
                o.keys = VerifierSet.parse(keys);
            } catch (ProofException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            if (o.command.equals("tlog-proof") && o.digest == null) {
                throw new IllegalArgumentException("tlog-proof needs --digest <64 hex digits>");
            }
            return o;
        }

        private void readKeys(Path path, List<String> keys) throws IOException {
            String text = Files.readString(path, StandardCharsets.UTF_8);
            if (text.stripLeading().startsWith("{")) {
                JsonNode n = new ObjectMapper().readTree(text);
                n.path("verifierKeys").forEach(k -> keys.add(k.asText()));
                if (n.hasNonNull("tsaCertificate")) {
                    tsa.add(TimestampTokens.parseCertificatePem(n.get("tsaCertificate").asText()));
                }
                return;
            }
            text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(keys::add);
        }

        private static int threshold(String v) {
            try {
                int t = Integer.parseInt(v);
                if (t >= 1) {
                    return t;
                }
            } catch (NumberFormatException ignored) {
                // Reported below with the offending value.
            }
            throw new IllegalArgumentException("--threshold must be a positive integer, not " + v);
        }

        private static byte[] digest(String v) {
            if (!v.matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException("--digest must be 64 hex digits");
            }
            return HexFormat.of().parseHex(v.toLowerCase());
        }

        /** The given threshold, or every trusted key: one replica alone must not be able to vouch for the log. */
        int threshold() {
            return threshold != null ? threshold : keys.size();
        }

        VerificationPolicy policy() {
            return new VerificationPolicy(origin, keys, threshold(), tsa, requireTimestamp);
        }

        String origin(byte[] proofFile) {
            if (origin != null) {
                return origin;
            }
            // The trusted keys bind the origin; without --origin accept the one the checkpoint was signed for.
            var proof = io.tracemark.proofs.tlogproof.TlogProof.parse(proofFile);
            var note = io.tracemark.proofs.note.Note.parse(proof.signedCheckpoint());
            return note.text().substring(0, note.text().indexOf('\n'));
        }
    }
}
