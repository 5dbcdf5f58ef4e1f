package io.tracemark.proofs.cli;

import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.cosignature.WitnessPolicy;
import io.tracemark.proofs.cosignature.WitnessedCheckpoint;
import io.tracemark.proofs.cosignature.WitnessedCheckpoints;
import io.tracemark.proofs.receipt.CheckCode;
import io.tracemark.proofs.receipt.Receipt;
import io.tracemark.proofs.receipt.ReceiptCheck;
import io.tracemark.proofs.receipt.ReceiptJson;
import io.tracemark.proofs.receipt.ReceiptVerifier;
import io.tracemark.proofs.tlogproof.TlogProof;
import io.tracemark.proofs.tlogproof.TlogProofVerifier;
import io.tracemark.proofs.tlogproof.VerifiedTlogProof;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Offline verifier: checks a Tracemark receipt or a C2SP {@code .tlog-proof} against trusted note
 * verifier keys with a signature threshold, and prints one line. Exit status 0 = valid, 1 = invalid,
 * 2 = usage error or unreadable input; {@code --help} prints the usage and exits 0.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = VerifyCli.Version.class,
        subcommands = {VerifyCli.ReceiptCommand.class, VerifyCli.TlogProofCommand.class, AbsenceCommand.class},
        description = "Checks a Tracemark receipt or a C2SP .tlog-proof offline against trusted verifier keys.",
        footerHeading = "%nExit status:%n",
        footer = {"  0  valid: one line starting OK", "  1  invalid: one line starting FAIL with the failing check",
                "  2  usage error or unreadable input: one line starting ERROR"})
public final class VerifyCli implements Runnable {
    static final int VALID = 0;
    static final int INVALID = 1;
    static final int USAGE = 2;

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** Entry point of the runnable jar. */
    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /**
     * Runs the verifier and returns the exit status; prints exactly one line to {@code out} (the usage
     * for {@code --help}), and the usage to standard error after a usage error.
     */
    public static int run(String[] args, PrintStream out) {
        PrintWriter outWriter = new PrintWriter(out, true, StandardCharsets.UTF_8);
        CommandLine cl = new CommandLine(new VerifyCli());
        cl.setOut(outWriter);
        cl.setErr(new PrintWriter(System.err, true, StandardCharsets.UTF_8));
        cl.setParameterExceptionHandler((e, a) -> {
            outWriter.println("ERROR " + oneLine(e.getMessage()));
            e.getCommandLine().usage(e.getCommandLine().getErr());
            return USAGE;
        });
        cl.setExecutionExceptionHandler((e, c, p) -> {
            outWriter.println("ERROR " + oneLine(e.getMessage()));
            return USAGE;
        });
        int exit = cl.execute(args);
        outWriter.flush();
        return exit;
    }

    /** Without a command there is nothing to verify. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "expected 'receipt <file>' or 'tlog-proof <file>'");
    }

    /** {@code verify receipt <receipt.json>}: every check of proofs' {@link ReceiptVerifier}. */
    @Command(name = "receipt", mixinStandardHelpOptions = true,
            description = "Verifies a tracemark.dev/receipt@v1 JSON receipt.")
    static final class ReceiptCommand implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(index = "0", paramLabel = "<receipt.json>", description = "the receipt file")
        Path file;
        @Mixin
        TrustOptions trust;
        @Option(names = "--require-timestamp", description = "fail a receipt that carries no time-stamp token")
        boolean requireTimestamp;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            // Usage errors (no trusted key, an unreadable certificate) before any verdict on the receipt.
            var policy = trust.policy(spec, requireTimestamp);
            byte[] bytes = readInput(spec, file);
            Receipt r;
            try {
                r = ReceiptJson.read(bytes);
            } catch (IllegalArgumentException e) {
                out.println("FAIL receipt.format.valid: " + oneLine(e.getMessage()));
                return INVALID;
            }
            List<ReceiptCheck> checks = ReceiptVerifier.verify(r, policy);
            Optional<ReceiptCheck> failed = ReceiptVerifier.firstFailure(checks);
            if (failed.isPresent()) {
                ReceiptCheck c = failed.get();
                out.println("FAIL " + c.code() + ": " + oneLine(c.detail())
                        + (c.expected() == null && c.computed() == null ? ""
                                : " (expected " + c.expected() + ", computed " + c.computed() + ")"));
                return INVALID;
            }
            long passed = checks.stream().filter(c -> c.status() == ReceiptCheck.Status.PASS).count();
            long skipped = checks.size() - passed;
            out.println("OK record " + r.record().id() + " is leaf " + r.leafIndex() + " of block " + r.block().height()
                    + "; " + signers(checks) + "; " + witnesses(checks) + "; " + timeEvidence(checks)
                    + " (" + passed + " checks passed" + (skipped > 0 ? ", " + skipped + " skipped" : "") + ")");
            return VALID;
        }
    }

    /** {@code verify tlog-proof <file> --digest <hex>}: a C2SP tlog-proof of one leaf's data. */
    @Command(name = "tlog-proof", mixinStandardHelpOptions = true,
            description = "Verifies a C2SP .tlog-proof file for the record digest it should prove.")
    static final class TlogProofCommand implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(index = "0", paramLabel = "<file.tlog-proof>", description = "the proof file")
        Path file;
        @Mixin
        TrustOptions trust;
        @Option(names = "--digest", required = true, paramLabel = "<hex>",
                description = "the record digest (64 hex digits) the proof must cover")
        String digest;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (!digest.matches("[0-9a-fA-F]{64}")) {
                throw new ParameterException(spec.commandLine(), "--digest must be 64 hex digits");
            }
            var keys = trust.keys(spec);
            int threshold = trust.threshold(spec, keys);
            WitnessPolicy witnesses = trust.witnessPolicy(spec);
            byte[] proof = readInput(spec, file);
            try {
                VerifiedTlogProof v = TlogProofVerifier.verifyLeafData(proof,
                        HexFormat.of().parseHex(digest.toLowerCase()), trust.origin(proof), keys, threshold);
                String witnessed = "";
                if (!witnesses.witnesses().isEmpty()) {
                    // The proof's own checkpoint must carry the cosignatures (C2SP tlog-proof "Verification" step 3).
                    WitnessedCheckpoint w = WitnessedCheckpoints.verify(TlogProof.parse(proof).signedCheckpoint(),
                            trust.origin(proof), keys, threshold, witnesses, Instant.now());
                    witnessed = ", cosigned by " + String.join(", ", w.cosignatures().stream()
                            .map(c -> c.witness().name()).toList()) + " (witness threshold " + witnesses.threshold() + ")";
                }
                out.println("OK leaf " + v.index() + " of tree size " + v.checkpoint().checkpoint().size()
                        + ", signed by " + v.checkpoint().verifiedBy().size() + " trusted key(s)" + witnessed);
                return VALID;
            } catch (ProofException e) {
                out.println("FAIL " + oneLine(e.getMessage()));
                return INVALID;
            }
        }
    }

    private static byte[] readInput(CommandLine.Model.CommandSpec spec, Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read " + file + ": " + e.getMessage());
        }
    }

    /** How many trusted keys signed the checkpoint, of how many, against which threshold. */
    private static String signers(List<ReceiptCheck> checks) {
        ReceiptCheck c = find(checks, CheckCode.CHECKPOINT_SIGNATURE);
        return "checkpoint signed by " + c.facts().get("validSignatures") + " of " + c.facts().get("trustedKeys")
                + " trusted keys (threshold " + c.facts().get("threshold") + ")";
    }

    /** Which trusted witnesses cosigned a checkpoint extending the receipt's, or that none were asked for. */
    @SuppressWarnings("unchecked")
    private static String witnesses(List<ReceiptCheck> checks) {
        ReceiptCheck c = find(checks, CheckCode.CHECKPOINT_WITNESSED);
        if (c.status() != ReceiptCheck.Status.PASS) {
            return "no witness policy checked (give --witness)";
        }
        List<String> by = (List<String>) c.facts().get("cosignedBy");
        return "witnessed by " + String.join(", ", by) + " (" + by.size() + " of " + c.facts().get("trustedWitnesses")
                + " trusted witnesses, threshold " + c.facts().get("threshold") + ") at tree size " + c.facts().get("treeSize");
    }

    /**
     * Which time evidence was checked: the log's RFC 3161 token (time, TSA, stamped checkpoint) and each
     * external authority's, or none; and the authorities whose token the receipt lacks.
     */
    private static String timeEvidence(List<ReceiptCheck> checks) {
        ReceiptCheck c = find(checks, CheckCode.TIMESTAMP_TOKEN);
        String own = c.status() != ReceiptCheck.Status.PASS ? "no RFC 3161 time-stamp token from the log"
                : "time-stamped " + c.facts().get("genTime") + " by trusted TSA '" + c.facts().get("tsa")
                        + "' over the checkpoint of tree size " + c.facts().get("checkpointTreeSize");
        ReceiptCheck a = find(checks, CheckCode.AUTHORITY_TIMESTAMPS);
        StringBuilder out = new StringBuilder(own);
        if (a.facts().get("authorities") instanceof List<?> each) {
            for (Object o : each) {
                if (o instanceof java.util.Map<?, ?> m && "valid".equals(m.get("status"))) {
                    out.append("; time-stamped ").append(m.get("genTime")).append(" by authority '").append(m.get("name"))
                            .append("' ('").append(m.get("tsa")).append("')");
                }
            }
        }
        if (a.facts().get("missing") instanceof List<?> missing && !missing.isEmpty()) {
            out.append("; no token from authorit").append(missing.size() == 1 ? "y " : "ies ")
                    .append(missing.stream().map(m -> "'" + m + "'").collect(java.util.stream.Collectors.joining(", ")));
        }
        if (c.status() != ReceiptCheck.Status.PASS && a.status() != ReceiptCheck.Status.PASS) {
            out.append(", so no time is proven");
        }
        return out.toString();
    }

    private static ReceiptCheck find(List<ReceiptCheck> checks, String code) {
        return checks.stream().filter(c -> c.code().equals(code)).findFirst().orElseThrow();
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").strip();
    }

    /** The implementation version of the packaged jar, when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = VerifyCli.class.getPackage().getImplementationVersion();
            return new String[] {"tracemark verify " + (v == null ? "(development build)" : v)};
        }
    }
}
