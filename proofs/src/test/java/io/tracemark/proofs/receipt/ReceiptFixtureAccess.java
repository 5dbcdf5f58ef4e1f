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
        return new Receipt(r.format(), r.record(), r.leafIndex(), r.tlogProof(), r.block(), r.timestamp(),
                r.verifierKeyNames(), new TimeAuthorities(List.of(new TimeAuthorities.Token(ReceiptFixture.AUTHORITY,
                        ReceiptFixture.authorityToken(tsa, fx.checkpointText))), List.of()));
    }

    /** A verifier key that signed nothing in the fixture. */
    public String strangerKey() {
        return io.tracemark.proofs.note.Ed25519NoteSigner.fromSeed("example.test/stranger", new byte[32]).verifier()
                .verifierKey();
    }
}
