package io.tracemark.proofs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracemark.proofs.receipt.ReceiptJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyCliTest {
    private static CliFixture fx;
    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        fx = new CliFixture();
    }

    private Path write(String name, String content) throws Exception {
        return CliRun.write(dir, name, content);
    }

    @Test
    void validReceiptVerifiesWithTwoOfTwoKeys() throws Exception {
        Path receipt = write("r.json", ReceiptJson.write(fx.receipt()));
        Path keys = write("keys.txt", fx.keyLines());
        CliRun.Result r = CliRun.run("receipt", receipt.toString(), "--keys", keys.toString(), "--threshold", "2",
                "--origin", fx.origin(), "--tsa-cert", write("tsa.pem", fx.tsaPem()).toString(), "--require-timestamp",
                "--tsa-cert", write("authority.pem", fx.authorityPem()).toString());
        assertEquals(0, r.exit(), r.line());
        assertTrue(r.line().startsWith("OK record "), r.line());
        assertTrue(r.line().contains("checkpoint signed by 2 of 2 trusted keys (threshold 2)"), r.line());
        assertTrue(r.line().contains("by trusted TSA '" + fx.tsaSubject() + "' over the checkpoint of tree size "
                + fx.receipt().block().treeSize()), r.line());
        assertTrue(r.line().matches(".*; time-stamped \\S+Z by authority '" + fx.authorityName() + "' \\('"
                + fx.authoritySubject() + "'\\) \\(9 checks passed, 1 skipped\\)$"), r.line());
    }

    @Test
    void tokenOfAnExternalAuthorityWhoseCertificateIsNotTrustedIsRefusedNamingTheAuthority() throws Exception {
        io.tracemark.proofs.receipt.TestTsa stranger = new io.tracemark.proofs.receipt.TestTsa("Stranger TSA");
        Path receipt = write("r.json", ReceiptJson.write(fx.withAuthorityTokenFrom(stranger)));
        CliRun.Result r = CliRun.run("receipt", receipt.toString(), "--keys", write("k", fx.keyLines()).toString(),
                "--tsa-cert", write("tsa.pem", fx.tsaPem()).toString(),
                "--tsa-cert", write("authority.pem", fx.authorityPem()).toString());
        assertEquals(1, r.exit(), r.line());
        assertEquals("FAIL timestamp.authorities.valid: timestamp.signer.untrusted: authority '" + fx.authorityName()
                + "': the token is signed by 'CN=Stranger TSA' (issuer 'CN=Stranger TSA', serial "
                + stranger.certificate.getSerialNumber() + "), which is not among the 2 trusted TSA certificate(s)"
                + " (expected 1, computed 0)", r.line());
    }

    @Test
    void tokenOfATsaMissingFromTheTrustInputIsRefusedByName() throws Exception {
        Path receipt = write("r.json", ReceiptJson.write(fx.receipt()));
        CliRun.Result r = CliRun.run("receipt", receipt.toString(), "--keys", write("k", fx.keyLines()).toString());
        assertEquals(1, r.exit());
        assertTrue(r.line().startsWith("FAIL timestamp.token.valid: timestamp.signer.untrusted: the token is signed by '"
                + fx.tsaSubject() + "'"), r.line());
    }

    @Test
    void keysFileListingEveryReplicasTsaCertificateTrustsATokenOfAnyOfThem() throws Exception {
        Path receipt = write("r.json", ReceiptJson.write(fx.receipt()));
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode keys = json.createObjectNode();
        fx.keyLines().lines().forEach(keys.putArray("verifierKeys")::add);
        // As verify's /v1/keys: the answering replica's own certificate, then every replica's.
        keys.put("tsaCertificate", fx.authorityPem());
        keys.putArray("tsaCertificates").add(fx.authorityPem()).add(fx.tsaPem());
        CliRun.Result r = CliRun.run("receipt", receipt.toString(), "--keys", write("keys.json", json.writeValueAsString(keys)).toString());
        assertEquals(0, r.exit(), r.line());
        keys.putArray("tsaCertificates").add(fx.authorityPem());
        r = CliRun.run("receipt", receipt.toString(), "--keys", write("keys2.json", json.writeValueAsString(keys)).toString());
        assertEquals(1, r.exit());
        assertTrue(r.line().startsWith("FAIL timestamp.token.valid: timestamp.signer.untrusted"), r.line());
    }

    @Test
    void defaultThresholdIsEveryTrustedKey() throws Exception {
        Path receipt = write("r.json", ReceiptJson.write(fx.receipt()));
        Path keys = write("keys.txt", fx.keyLines() + "\n" + fx.strangerKey() + "\n");
        CliRun.Result r = CliRun.run("receipt", receipt.toString(), "--keys", keys.toString(),
                "--tsa-cert", write("tsa.pem", fx.tsaPem()).toString());
        assertEquals(1, r.exit());
        assertTrue(r.line().startsWith("FAIL checkpoint.signature.valid: signature.threshold"), r.line());
    }

    @Test
    void receiptWithOneChangedDigestByteFailsWithDigestReason() throws Exception {
        String json = ReceiptJson.write(fx.receipt());
        String digest = fx.receipt().record().digest();
        String flipped = digest.substring(0, 20) + (digest.charAt(20) == 'a' ? 'b' : 'a') + digest.substring(21);
        Path receipt = write("r.json", json.replace(digest, flipped));
        CliRun.Result r = CliRun.run("receipt", receipt.toString(), "--keys", write("k", fx.keyLines()).toString());
        assertEquals(1, r.exit());
        assertTrue(r.line().startsWith("FAIL record.digest.match: "), r.line());
        assertTrue(r.line().contains("expected " + flipped + ", computed " + digest), r.line());
    }

    @Test
    void thresholdAboveTrustedSignaturesFails() throws Exception {
        Path receipt = write("r.json", ReceiptJson.write(fx.receipt()));
        CliRun.Result r = CliRun.run("receipt", receipt.toString(), "--key", fx.keyLines().lines().findFirst().orElseThrow(),
                "--threshold", "2");
        assertEquals(1, r.exit());
        assertTrue(r.line().startsWith("FAIL checkpoint.signature.valid: signature.threshold"), r.line());
    }

    @Test
    void tlogProofVerifiesForItsDigestAndFailsForAnother() throws Exception {
        Path proof = dir.resolve("p.tlog-proof");
        Files.write(proof, fx.receipt().tlogProof().getBytes(StandardCharsets.UTF_8));
        Path keys = write("keys.txt", fx.keyLines());
        CliRun.Result ok = CliRun.run("tlog-proof", proof.toString(), "--digest", fx.receipt().record().digest(), "--keys", keys.toString());
        assertEquals(0, ok.exit(), ok.line());
        CliRun.Result bad = CliRun.run("tlog-proof", proof.toString(), "--digest", "00".repeat(32), "--keys", keys.toString());
        assertEquals(1, bad.exit());
        assertTrue(bad.line().startsWith("FAIL inclusion.root.mismatch"), bad.line());
    }

    @Test
    void absenceStatementVerifiesForItsHashWithTheReplicaKeyOnly() throws Exception {
        var replica = io.tracemark.proofs.note.Ed25519NoteSigner.fromSeed("example.com/log", new byte[32]);
        byte[] hash = new byte[32];
        hash[0] = 7;
        Path note = dir.resolve("absence.note");
        Files.write(note, new io.tracemark.proofs.absence.AbsenceStatement("example.com/log", 12, new byte[32], hash).sign(replica));
        String key = replica.verifier().verifierKey();
        CliRun.Result ok = CliRun.run("absence", note.toString(), "--hash", java.util.HexFormat.of().formatHex(hash), "--key", key);
        assertEquals(0, ok.exit(), ok.line());
        assertTrue(ok.line().startsWith("OK absent from the first 12 leaves of example.com/log"), ok.line());
        CliRun.Result other = CliRun.run("absence", note.toString(), "--hash", "00".repeat(32), "--key", key);
        assertEquals(1, other.exit());
        assertTrue(other.line().startsWith("FAIL absence.hash.mismatch"), other.line());
        CliRun.Result stranger = CliRun.run("absence", note.toString(), "--hash", java.util.HexFormat.of().formatHex(hash), "--keys",
                write("strangers.txt", fx.keyLines()).toString());
        assertEquals(1, stranger.exit());
        assertTrue(stranger.line().startsWith("FAIL note.unverified"), stranger.line());
    }

    @Test
    void missingKeysIsAUsageError() throws Exception {
        CliRun.Result r = CliRun.run("receipt", write("r.json", "{}").toString());
        assertEquals(2, r.exit());
        assertTrue(r.line().startsWith("ERROR no trusted verifier key"), r.line());
    }

    @Test
    void helpListsBothCommandsAndTheExitStatusesAndExitsZero() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = VerifyCli.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8));
        String help = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, help);
        assertTrue(help.contains("receipt") && help.contains("tlog-proof"), help);
        assertTrue(help.contains("1  invalid"), help);
    }

    @Test
    void receiptHelpNamesEveryTrustOption() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = VerifyCli.run(new String[] {"receipt", "--help"}, new PrintStream(out, true, StandardCharsets.UTF_8));
        String help = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, help);
        for (String option : new String[] {"--key", "--keys", "--threshold", "--origin", "--tsa-cert", "--require-timestamp"}) {
            assertTrue(help.contains(option), option + " missing from: " + help);
        }
    }

    @Test
    void misspelledOptionIsAUsageErrorNamingIt() throws Exception {
        Path receipt = write("r.json", ReceiptJson.write(fx.receipt()));
        CliRun.Result r = CliRun.run("receipt", receipt.toString(), "--keys", write("k", fx.keyLines()).toString(), "--treshold", "2");
        assertEquals(2, r.exit());
        assertTrue(r.line().startsWith("ERROR ") && r.line().contains("--treshold"), r.line());
    }

    @Test
    void noCommandIsAUsageError() {
        CliRun.Result r = CliRun.run();
        assertEquals(2, r.exit());
        assertTrue(r.line().startsWith("ERROR expected 'receipt <file>' or 'tlog-proof <file>'"), r.line());
    }

    @Test
    void unreadableReceiptIsAUsageErrorNamingTheFile() {
        Path missing = dir.resolve("absent.json");
        CliRun.Result r = CliRun.run("receipt", missing.toString(), "--key", fx.keyLines().lines().findFirst().orElseThrow());
        assertEquals(2, r.exit());
        assertTrue(r.line().startsWith("ERROR cannot read " + missing), r.line());
    }
}
