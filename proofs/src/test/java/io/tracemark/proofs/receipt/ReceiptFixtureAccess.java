package io.tracemark.proofs.receipt;

import java.util.List;

/** Public view of {@link ReceiptFixture} for tests in other packages. */
public final class ReceiptFixtureAccess {
    private final ReceiptFixture fx;

    /** Builds a fresh fixture. */
    public ReceiptFixtureAccess() throws Exception {
        fx = new ReceiptFixture();
    }

    /** The valid receipt. */
    public Receipt receipt() {
        return fx.receipt;
    }

    /** Both trusted verifier keys, one per line. */
    public String keyLines() {
        return fx.log.verifier().verifierKey() + "\n" + fx.witness.verifier().verifierKey() + "\n";
    }

    /** The log origin. */
    public String origin() {
        return ReceiptFixture.ORIGIN;
    }

    /** The TSA certificate, PEM. */
    public String tsaPem() throws Exception {
        return fx.tsa.pem();
    }

    /** The TSA certificate's subject name. */
    public String tsaSubject() {
        return fx.tsa.certificate.getSubject().toString();
    }

    /** The external authority's name in the receipt. */
    public String authorityName() {
        return ReceiptFixture.AUTHORITY;
    }

    /** The external authority's certificate, PEM. */
    public String authorityPem() throws Exception {
        return fx.authority.pem();
    }

    /** The external authority's certificate subject. */
    public String authoritySubject() {
        return fx.authority.certificate.getSubject().toString();
    }

    /** The receipt with its external authority's token replaced by a valid one from {@code tsa} over the same checkpoint. */
    public Receipt withAuthorityTokenFrom(TestTsa tsa) throws Exception {
        Receipt r = fx.receipt;
        return r.withAuthorities(new TimeAuthorities(List.of(new TimeAuthorities.Token(ReceiptFixture.AUTHORITY,
                        ReceiptFixture.authorityToken(tsa, fx.checkpointText))), List.of()));
    }

    /** A verifier key that signed nothing in the fixture. */
    public String strangerKey() {
        return io.tracemark.proofs.note.Ed25519NoteSigner.fromSeed("example.test/stranger", new byte[32]).verifier()
                .verifierKey();
    }

    /** The receipt with a later checkpoint cosigned by both fixture witnesses. */
    public Receipt witnessedByBoth() {
        return fx.witnessed(fx.witnessedNote);
    }

    /** The receipt with a later checkpoint cosigned by witness 1 only. */
    public Receipt witnessedByOne() {
        return fx.witnessed(fx.witnessedByOneNote);
    }

    /** The cosigner vkey of fixture witness {@code n} (1 or 2). */
    public String witnessKey(int n) {
        return (n == 1 ? fx.witness1 : fx.witness2).verifier().verifierKey();
    }

    /** A cosigner vkey that cosigned nothing in the fixture. */
    public String strangerWitnessKey() {
        return io.tracemark.proofs.cosignature.Ed25519CosignatureSigner.fromSeed("witness.test/stranger", new byte[32],
                () -> 1).verifier().verifierKey();
    }
}
