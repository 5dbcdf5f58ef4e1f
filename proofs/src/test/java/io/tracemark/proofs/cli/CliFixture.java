package io.tracemark.proofs.cli;

import io.tracemark.proofs.receipt.Receipt;
import io.tracemark.proofs.receipt.ReceiptFixtureAccess;

/** Exposes the receipt package's test fixture to the CLI tests. */
final class CliFixture {
    private final ReceiptFixtureAccess fx;

    CliFixture() throws Exception {
        fx = new ReceiptFixtureAccess();
    }

    Receipt receipt() {
        return fx.receipt();
    }

    String keyLines() {
        return fx.keyLines();
    }

    String origin() {
        return fx.origin();
    }

    String tsaPem() throws Exception {
        return fx.tsaPem();
    }

    String tsaSubject() {
        return fx.tsaSubject();
    }

    String authorityName() {
        return fx.authorityName();
    }

    String authorityPem() throws Exception {
        return fx.authorityPem();
    }

    String authoritySubject() {
        return fx.authoritySubject();
    }

    Receipt withAuthorityTokenFrom(io.tracemark.proofs.receipt.TestTsa tsa) throws Exception {
        return fx.withAuthorityTokenFrom(tsa);
    }

    String strangerKey() {
        return fx.strangerKey();
    }

    Receipt witnessedByBoth() {
        return fx.witnessedByBoth();
    }

    Receipt witnessedByOne() {
        return fx.witnessedByOne();
    }

    String witnessKey(int n) {
        return fx.witnessKey(n);
    }

    String strangerWitnessKey() {
        return fx.strangerWitnessKey();
    }
}
