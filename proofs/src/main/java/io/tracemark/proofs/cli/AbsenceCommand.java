package io.tracemark.proofs.cli;

import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.absence.AbsenceAudit;
import io.tracemark.proofs.absence.AbsenceStatement;
import io.tracemark.proofs.note.Note;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.Callable;

/** {@code verify absence <note> --hash <hex> [--tiles <url>]}: a chain node's signed statement that a hash is not in its log. */
@Command(name = "absence", mixinStandardHelpOptions = true,
        description = "Verifies a signed leaf-absence statement (the 'absence' member of a 404 from GET /v1/leaves) "
                + "and, with --tiles, audits it against the log's published entry bundles.")
final class AbsenceCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;
    @Parameters(index = "0", paramLabel = "<file>", description = "the signed note")
    Path file;
    @Mixin
    TrustOptions trust;
    @Option(names = "--hash", required = true, paramLabel = "<hex>", description = "the digest or leaf hash that was looked up")
    String hash;
    @Option(names = "--tiles", paramLabel = "<url>", description = "the log's tile base URL (serving tile/entries/…) to audit against")
    String tiles;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!hash.matches("[0-9a-fA-F]{64}")) {
            throw new ParameterException(spec.commandLine(), "--hash must be 64 hex digits");
        }
        byte[] note;
        try {
            note = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read " + file + ": " + e.getMessage());
        }
        var keys = trust.keys(spec);
        int threshold = trust.threshold(spec, keys);
        try {
            String origin = trust.origin != null ? trust.origin : AbsenceStatement.parse(Note.parse(note).text()).origin();
            AbsenceStatement s = AbsenceStatement.verify(note, origin, keys, threshold, HexFormat.of().parseHex(hash.toLowerCase()));
            String ok = "OK absent from the first " + s.treeSize() + " leaves of " + s.origin() + " (root "
                    + Base64.getEncoder().encodeToString(s.root()) + "), signed by a trusted key";
            if (tiles == null) {
                out.println(ok);
                return VerifyCli.VALID;
            }
            AbsenceAudit.Result audit = AbsenceAudit.audit(s, t -> fetch(tiles.replaceAll("/+$", "") + "/" + t.format()));
            switch (audit.outcome()) {
                case CONFIRMED -> out.println(ok + "; the published tiles confirm it");
                case CONTRADICTED -> out.println("FAIL absence.contradicted: leaf " + audit.leafIndex() + " of the published "
                        + "tiles has the hash, so the signed statement is false");
                case ROOT_MISMATCH -> out.println("FAIL absence.root.mismatch: the tiles served do not hash to the statement's root");
            }
            return audit.outcome() == AbsenceAudit.Outcome.CONFIRMED ? VerifyCli.VALID : VerifyCli.INVALID;
        } catch (ProofException e) {
            out.println("FAIL " + VerifyCli.oneLine(e.getMessage()));
            return VerifyCli.INVALID;
        }
    }

    private static byte[] fetch(String url) {
        try {
            HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new UncheckedIOException(new IOException(url + " answered " + r.statusCode()));
            }
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
