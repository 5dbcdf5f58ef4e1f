package io.tracemark.proofs.receipt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracemark.proofs.note.Note;
import io.tracemark.proofs.note.NoteSignature;
import io.tracemark.proofs.tlogproof.TlogProof;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReceiptVerifierTest {
    private static ReceiptFixture fx;

    @BeforeAll
    static void setUp() throws Exception {
        fx = new ReceiptFixture();
    }

    private static Map<String, ReceiptCheck> byCode(List<ReceiptCheck> checks) {
        return checks.stream().collect(Collectors.toMap(ReceiptCheck::code, c -> c));
    }

    @Test
    void validReceiptPassesEveryCheck() {
        List<ReceiptCheck> checks = ReceiptVerifier.verify(fx.witnessed(fx.witnessedNote), fx.policy(2).withWitnesses(
                io.tracemark.proofs.cosignature.WitnessPolicy.of(List.of(fx.witness1.verifier(), fx.witness2.verifier()), 2),
                true));
        assertEquals(List.of(CheckCode.RECEIPT_FORMAT, CheckCode.RECORD_DIGEST, CheckCode.RECORD_FIELDS, CheckCode.LEAF_INDEX,
                CheckCode.CHECKPOINT_SIGNATURE, CheckCode.INCLUSION_PROOF, CheckCode.BLOCK_HEADER, CheckCode.TIMESTAMP_TOKEN,
                CheckCode.CHECKPOINT_WITNESSED, CheckCode.AUTHORITY_TIMESTAMPS),
                checks.stream().map(ReceiptCheck::code).toList());
        checks.forEach(c -> assertEquals(ReceiptCheck.Status.PASS, c.status(), c.toString()));
        assertEquals(List.of("example.test/log", "example.test/witness"), fx.receipt.verifierKeyNames());
    }

    @Test
    void receiptSurvivesJsonRoundTrip() {
        String json = ReceiptJson.write(fx.receipt);
        Receipt back = ReceiptJson.read(json.getBytes(StandardCharsets.UTF_8));
        assertEquals(json, ReceiptJson.write(back));
        assertTrue(ReceiptVerifier.firstFailure(ReceiptVerifier.verify(back, fx.policy(2))).isEmpty());
    }

    @Test
    void receiptReadFromAParsedTreeEqualsTheOneReadFromItsText() throws Exception {
        String json = ReceiptJson.write(fx.witnessed(fx.witnessedNote));
        Receipt fromTree = ReceiptJson.read(ReceiptJson.mapper().readTree(json));
        assertEquals(ReceiptJson.read(json.getBytes(StandardCharsets.UTF_8)), fromTree);
        assertEquals(json, ReceiptJson.write(fromTree));
    }

    @Test
    void receiptTreeWithAnUnknownMemberIsRefusedNamingIt() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode tree =
                (com.fasterxml.jackson.databind.node.ObjectNode) ReceiptJson.mapper().readTree(ReceiptJson.write(fx.receipt));
        tree.put("recordId", "01JDX3K8Q9V5T2M4N6P8R0S1W3");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ReceiptJson.read(tree));
        assertTrue(e.getMessage().startsWith("not a receipt: Unrecognized field \"recordId\""), e.getMessage());
    }

    @Test
    void receiptWithWitnessingAndAuthoritiesWritesEveryTopLevelFieldInTheDocumentedOrder() throws Exception {
        String json = ReceiptJson.write(fx.witnessed(fx.witnessedNote));
        List<String> names = new ArrayList<>();
        ReceiptJson.mapper().readTree(json).fieldNames().forEachRemaining(names::add);
        assertEquals(Receipt.FIELD_ORDER, names);
        assertEquals(json, ReceiptJson.write(ReceiptJson.read(json.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void oneChangedDigestByteFailsDigestMatchWithExpectedAndComputed() {
        Receipt.RecordInfo r = fx.receipt.record();
        String tampered = flipHex(r.digest());
        Receipt bad = withRecord(new Receipt.RecordInfo(r.id(), r.tenant(), r.type(), tampered, r.salt(), r.canonical(),
                r.acceptedAt()));
        Map<String, ReceiptCheck> checks = byCode(ReceiptVerifier.verify(bad, fx.policy(2)));
        ReceiptCheck digest = checks.get(CheckCode.RECORD_DIGEST);
        assertEquals(ReceiptCheck.Status.FAIL, digest.status());
        assertEquals(tampered, digest.expected());
        assertEquals(r.digest(), digest.computed());
        assertEquals(ReceiptCheck.Status.FAIL, checks.get(CheckCode.INCLUSION_PROOF).status());
        assertEquals(CheckCode.RECORD_DIGEST, ReceiptVerifier.firstFailure(checks.values().stream()
                .sorted((a, b) -> order(a) - order(b)).toList()).orElseThrow().code());
    }

    @Test
    void oneChangedProofByteFailsInclusionWithRootMismatch() {
        TlogProof p = TlogProof.parse(fx.receipt.tlogProof().getBytes(StandardCharsets.UTF_8));
        List<byte[]> hashes = new ArrayList<>();
        for (byte[] h : p.proofHashes()) {
            hashes.add(h);
        }
        hashes.get(1)[5] ^= 0x01;
        Receipt bad = withProof(new TlogProof(null, p.index(), hashes, p.signedCheckpoint()));
        List<ReceiptCheck> checks = ReceiptVerifier.verify(bad, fx.policy(2));
        ReceiptCheck first = ReceiptVerifier.firstFailure(checks).orElseThrow();
        assertEquals(CheckCode.INCLUSION_PROOF, first.code());
        assertTrue(first.detail().startsWith("inclusion.root.mismatch"), first.detail());
        assertFalse(first.expected().equals(first.computed()));
    }

    @Test
    void oneChangedSignatureByteFailsCheckpointSignature() {
        TlogProof p = TlogProof.parse(fx.receipt.tlogProof().getBytes(StandardCharsets.UTF_8));
        Note note = Note.parse(p.signedCheckpoint());
        NoteSignature s = note.signatures().get(1);
        byte[] sig = s.signature();
        sig[10] ^= 0x01;
        Note forged = new Note(note.text(), List.of(note.signatures().get(0), new NoteSignature(s.name(), s.keyId(), sig)));
        Receipt bad = withProof(new TlogProof(null, p.index(), p.hashes(), forged.encode()));
        ReceiptCheck first = ReceiptVerifier.firstFailure(ReceiptVerifier.verify(bad, fx.policy(1))).orElseThrow();
        assertEquals(CheckCode.CHECKPOINT_SIGNATURE, first.code());
        assertTrue(first.detail().startsWith("signature.invalid"), first.detail());
    }

    @Test
    void checkpointSignedByTooFewTrustedKeysFailsThreshold() {
        var policy = new VerificationPolicy(ReceiptFixture.ORIGIN,
                io.tracemark.proofs.note.VerifierSet.of(fx.log.verifier()), 2, List.of(fx.tsa.certificate), true);
        ReceiptCheck first = ReceiptVerifier.firstFailure(ReceiptVerifier.verify(fx.receipt, policy)).orElseThrow();
        assertEquals(CheckCode.CHECKPOINT_SIGNATURE, first.code());
        assertTrue(first.detail().startsWith("signature.threshold"), first.detail());
    }

    @Test
    void tokenFromAnotherTsaIsUntrusted() throws Exception {
        TestTsa other = new TestTsa("Someone else");
        var policy = new VerificationPolicy(ReceiptFixture.ORIGIN,
                io.tracemark.proofs.note.VerifierSet.of(fx.log.verifier()), 1, List.of(other.certificate), true);
        ReceiptCheck first = ReceiptVerifier.firstFailure(ReceiptVerifier.verify(fx.receipt, policy)).orElseThrow();
        assertEquals(CheckCode.TIMESTAMP_TOKEN, first.code());
        assertTrue(first.detail().startsWith("timestamp.signer.untrusted"), first.detail());
    }

    @Test
    void tokenIsRefusedWhenNoTsaIsTrustedEvenThoughTheReceiptCarriesItsCertificate() {
        var policy = new VerificationPolicy(ReceiptFixture.ORIGIN, fx.policy(2).trustedKeys(), 2, List.of(), false);
        ReceiptCheck ts = byCode(ReceiptVerifier.verify(fx.receipt, policy)).get(CheckCode.TIMESTAMP_TOKEN);
        assertEquals(ReceiptCheck.Status.FAIL, ts.status());
        assertTrue(ts.detail().startsWith("timestamp.signer.untrusted: the token is signed by '"
                + fx.tsa.certificate.getSubject() + "'"), ts.detail());
    }

    @Test
    void passedTimestampReportsTheTimeTsaAndCheckpointItCovers() {
        ReceiptCheck ts = byCode(ReceiptVerifier.verify(fx.receipt, fx.policy(2))).get(CheckCode.TIMESTAMP_TOKEN);
        assertEquals(ReceiptCheck.Status.PASS, ts.status(), ts.toString());
        assertEquals(fx.tsa.certificate.getSubject().toString(), ts.facts().get("tsa"));
        assertEquals(fx.receipt.block().treeSize(), ts.facts().get("checkpointTreeSize"));
        assertTrue(java.time.Instant.parse((String) ts.facts().get("genTime")).isAfter(java.time.Instant.EPOCH));
    }

    @Test
    void signatureCheckSaysHowManyOfTheTrustedKeysSigned() {
        ReceiptCheck sig = byCode(ReceiptVerifier.verify(fx.receipt, fx.policy(2))).get(CheckCode.CHECKPOINT_SIGNATURE);
        assertEquals(2L, sig.facts().get("validSignatures"));
        assertEquals(2, sig.facts().get("threshold"));
        var onlyLog = new VerificationPolicy(ReceiptFixture.ORIGIN,
                io.tracemark.proofs.note.VerifierSet.of(fx.log.verifier()), 1, List.of(fx.tsa.certificate), true);
        ReceiptCheck one = byCode(ReceiptVerifier.verify(fx.receipt, onlyLog)).get(CheckCode.CHECKPOINT_SIGNATURE);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> keys = (List<Map<String, Object>>) one.facts().get("keys");
        assertEquals(List.of("valid", "untrusted"), keys.stream().map(k -> k.get("status")).toList());
    }

    @Test
    void nonCanonicalRecordBytesFailDigestEvenWhenTheDigestIsTheirs() {
        Receipt.RecordInfo r = fx.receipt.record();
        String spaced = r.canonical().replaceFirst(",", ", ");
        String digest = java.util.HexFormat.of().formatHex(TimestampTokens.sha256(spaced.getBytes(StandardCharsets.UTF_8)));
        ReceiptCheck c = byCode(ReceiptVerifier.verify(withRecord(new Receipt.RecordInfo(r.id(), r.tenant(), r.type(),
                digest, r.salt(), spaced, r.acceptedAt())), fx.policy(2))).get(CheckCode.RECORD_DIGEST);
        assertEquals(ReceiptCheck.Status.FAIL, c.status());
        assertEquals("the record bytes are not in RFC 8785 canonical form", c.detail());
    }

    @Test
    void memoRunsTheCheckpointChecksOncePerNoteAndNeverMasksAnotherNote() {
        java.util.Map<String, ReceiptCheck> remembered = new java.util.HashMap<>();
        int[] ran = {0};
        CheckMemo memo = (key, check) -> remembered.computeIfAbsent(key, k -> {
            ran[0]++;
            return check.get();
        });
        List<ReceiptCheck> first = ReceiptVerifier.verify(fx.receipt, fx.policy(2), memo);
        List<ReceiptCheck> second = ReceiptVerifier.verify(fx.receipt, fx.policy(2), memo);
        assertEquals(3, ran[0], "one signature, one time-stamp and one external authorities check");
        assertEquals(first, second);
        TlogProof p = TlogProof.parse(fx.receipt.tlogProof().getBytes(StandardCharsets.UTF_8));
        String note = new String(p.signedCheckpoint(), StandardCharsets.UTF_8);
        int sig = note.lastIndexOf(' ') + 20; // inside the Ed25519 signature, past the key ID
        String forged = note.substring(0, sig) + (note.charAt(sig) == 'A' ? 'B' : 'A') + note.substring(sig + 1);
        Receipt bad = withProof(new TlogProof(p.extra(), p.index(), p.hashes(), forged.getBytes(StandardCharsets.UTF_8)));
        assertEquals(ReceiptCheck.Status.FAIL, byCode(ReceiptVerifier.verify(bad, fx.policy(2), memo))
                .get(CheckCode.CHECKPOINT_SIGNATURE).status());
    }

    @Test
    void tokenOverAnotherCheckpointFailsImprint() throws Exception {
        Receipt.Timestamp ts = new Receipt.Timestamp(Base64.getEncoder().encodeToString(
                TimestampTokens.tokenBytes(fx.tsa.stamp("other\n".getBytes(StandardCharsets.UTF_8)))), null);
        Receipt r = fx.receipt;
        Receipt bad = new Receipt(r.format(), r.record(), r.leafIndex(), r.tlogProof(), r.block(), ts, r.verifierKeyNames());
        ReceiptCheck first = ReceiptVerifier.firstFailure(ReceiptVerifier.verify(bad, fx.policy(2))).orElseThrow();
        assertEquals(CheckCode.TIMESTAMP_TOKEN, first.code());
        assertTrue(first.detail().startsWith("timestamp.imprint.mismatch"), first.detail());
    }

    @Test
    void changedBlockFieldFailsBlockHeaderHash() {
        Receipt r = fx.receipt;
        Receipt.Block b = r.block();
        Receipt bad = new Receipt(r.format(), r.record(), r.leafIndex(), r.tlogProof(), new Receipt.Block(b.height(),
                b.previousHash(), b.firstLeafIndex(), b.leafCount(), b.treeSize(), b.root(), b.timeMillis() + 1, b.hash()),
                r.timestamp(), r.verifierKeyNames());
        ReceiptCheck first = ReceiptVerifier.firstFailure(ReceiptVerifier.verify(bad, fx.policy(2))).orElseThrow();
        assertEquals(CheckCode.BLOCK_HEADER, first.code());
        assertEquals(b.hash(), first.expected());
    }

    @Test
    void erasedContentSkipsDigestButStillProvesInclusion() {
        Receipt.RecordInfo r = fx.receipt.record();
        Receipt erased = withRecord(new Receipt.RecordInfo(r.id(), r.tenant(), r.type(), r.digest(), null, null,
                r.acceptedAt()));
        Map<String, ReceiptCheck> checks = byCode(ReceiptVerifier.verify(erased, fx.policy(2)));
        assertEquals(ReceiptCheck.Status.SKIPPED, checks.get(CheckCode.RECORD_DIGEST).status());
        assertEquals(ReceiptCheck.Status.PASS, checks.get(CheckCode.INCLUSION_PROOF).status());
        assertTrue(ReceiptVerifier.firstFailure(List.copyOf(checks.values())).isEmpty());
    }

    @Test
    void missingTokenFailsOnlyWhenRequired() {
        Receipt r = fx.receipt;
        Receipt noToken = new Receipt(r.format(), r.record(), r.leafIndex(), r.tlogProof(), r.block(), null,
                r.verifierKeyNames());
        assertEquals(ReceiptCheck.Status.FAIL, byCode(ReceiptVerifier.verify(noToken, fx.policy(2)))
                .get(CheckCode.TIMESTAMP_TOKEN).status());
        var lenient = new VerificationPolicy(ReceiptFixture.ORIGIN, fx.policy(2).trustedKeys(), 2, List.of(), false);
        assertEquals(ReceiptCheck.Status.SKIPPED, byCode(ReceiptVerifier.verify(noToken, lenient))
                .get(CheckCode.TIMESTAMP_TOKEN).status());
    }

    @Test
    void externalAuthorityTokenIsCheckedAgainstItsTrustedCertificateAndItsTimeReported() {
        ReceiptCheck c = byCode(ReceiptVerifier.verify(fx.receipt, fx.policy(2))).get(CheckCode.AUTHORITY_TIMESTAMPS);
        assertEquals(ReceiptCheck.Status.PASS, c.status(), c.toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> a = ((List<Map<String, Object>>) c.facts().get("authorities")).get(0);
        assertEquals("example-tsa", a.get("name"));
        assertEquals("valid", a.get("status"));
        assertEquals("CN=External test authority", a.get("tsa"));
        assertTrue(c.detail().startsWith("1 external authority time-stamped the checkpoint: example-tsa at "
                + a.get("genTime")), c.detail());
    }

    @Test
    void authorityTokenWhoseCertificateIsNotInTheTrustInputFailsNamingTheAuthority() {
        var onlyTheLogsTsa = new VerificationPolicy(ReceiptFixture.ORIGIN, fx.policy(2).trustedKeys(), 2,
                List.of(fx.tsa.certificate), true);
        ReceiptCheck first = ReceiptVerifier.firstFailure(ReceiptVerifier.verify(fx.receipt, onlyTheLogsTsa)).orElseThrow();
        assertEquals(CheckCode.AUTHORITY_TIMESTAMPS, first.code());
        assertTrue(first.detail().startsWith("timestamp.signer.untrusted: authority 'example-tsa': the token is signed by "
                + "'CN=External test authority'"), first.detail());
    }

    @Test
    void authorityTokenOverAnotherCheckpointFailsImprintNamingTheAuthority() throws Exception {
        Receipt r = fx.receipt;
        Receipt bad = new Receipt(r.format(), r.record(), r.leafIndex(), r.tlogProof(), r.block(), r.timestamp(),
                r.verifierKeyNames(), new TimeAuthorities(List.of(new TimeAuthorities.Token("example-tsa",
                        ReceiptFixture.authorityToken(fx.authority, "other\n".getBytes(StandardCharsets.UTF_8)))), List.of()));
        ReceiptCheck first = ReceiptVerifier.firstFailure(ReceiptVerifier.verify(bad, fx.policy(2))).orElseThrow();
        assertEquals(CheckCode.AUTHORITY_TIMESTAMPS, first.code());
        assertTrue(first.detail().startsWith("timestamp.imprint.mismatch: authority 'example-tsa': token stamps "), first.detail());
    }

    @Test
    void authoritiesWithoutATokenAreNamedAndDoNotFailTheReceipt() {
        Receipt r = fx.receipt;
        Receipt partial = new Receipt(r.format(), r.record(), r.leafIndex(), r.tlogProof(), r.block(), r.timestamp(),
                r.verifierKeyNames(), new TimeAuthorities(r.authorities().tokens(), List.of("down-tsa")));
        ReceiptCheck c = byCode(ReceiptVerifier.verify(partial, fx.policy(2))).get(CheckCode.AUTHORITY_TIMESTAMPS);
        assertEquals(ReceiptCheck.Status.PASS, c.status());
        assertTrue(c.detail().endsWith("; no token from down-tsa"), c.detail());
        assertEquals(List.of("down-tsa"), c.facts().get("missing"));
        Receipt none = new Receipt(r.format(), r.record(), r.leafIndex(), r.tlogProof(), r.block(), r.timestamp(),
                r.verifierKeyNames(), new TimeAuthorities(List.of(), List.of("down-tsa")));
        ReceiptCheck skipped = byCode(ReceiptVerifier.verify(none, fx.policy(2))).get(CheckCode.AUTHORITY_TIMESTAMPS);
        assertEquals(ReceiptCheck.Status.SKIPPED, skipped.status());
        assertEquals("no external authority's token; no token from down-tsa", skipped.detail());
    }

    @Test
    void twoTokensUnderOneAuthorityNameAreRefused() {
        Receipt r = fx.receipt;
        var t = r.authorities().tokens().get(0);
        Receipt twice = new Receipt(r.format(), r.record(), r.leafIndex(), r.tlogProof(), r.block(), r.timestamp(),
                r.verifierKeyNames(), new TimeAuthorities(List.of(t, t), List.of()));
        ReceiptCheck c = byCode(ReceiptVerifier.verify(twice, fx.policy(2))).get(CheckCode.AUTHORITY_TIMESTAMPS);
        assertEquals(ReceiptCheck.Status.FAIL, c.status());
        assertTrue(c.detail().startsWith("timestamp.malformed: authority names must be present and distinct"), c.detail());
    }

    private static int order(ReceiptCheck c) {
        return List.of(CheckCode.RECEIPT_FORMAT, CheckCode.RECORD_DIGEST, CheckCode.RECORD_FIELDS, CheckCode.LEAF_INDEX,
                CheckCode.CHECKPOINT_SIGNATURE, CheckCode.INCLUSION_PROOF, CheckCode.BLOCK_HEADER,
                CheckCode.TIMESTAMP_TOKEN, CheckCode.AUTHORITY_TIMESTAMPS).indexOf(c.code());
    }

    static String flipHex(String hex) {
        char c = hex.charAt(10);
        return hex.substring(0, 10) + (c == '0' ? '1' : '0') + hex.substring(11);
    }

    private static Receipt withRecord(Receipt.RecordInfo rec) {
        Receipt r = fx.receipt;
        return new Receipt(r.format(), rec, r.leafIndex(), r.tlogProof(), r.block(), r.timestamp(), r.verifierKeyNames());
    }

    private static Receipt withProof(TlogProof p) {
        Receipt r = fx.receipt;
        return new Receipt(r.format(), r.record(), r.leafIndex(), new String(p.encode(), StandardCharsets.UTF_8),
                r.block(), r.timestamp(), r.verifierKeyNames());
    }
}
