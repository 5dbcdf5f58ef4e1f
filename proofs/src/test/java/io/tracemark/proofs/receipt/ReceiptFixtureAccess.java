package io.tracemark.proofs.receipt;

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

    /** A verifier key that signed nothing in the fixture. */
    public String strangerKey() {
        return io.tracemark.proofs.note.Ed25519NoteSigner.fromSeed("example.test/stranger", new byte[32]).verifier()
                .verifierKey();
    }
}
