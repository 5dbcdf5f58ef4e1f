package io.tracemark.localstack.load;

import io.tracemark.contracts.ledger.LedgerKeys;
import io.tracemark.contracts.ledger.LedgerKeysCodec;
import io.tracemark.proofs.receipt.Receipt;
import io.tracemark.proofs.receipt.ReceiptFixtureAccess;
import io.tracemark.proofs.receipt.ReceiptJson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audit runs proofs' verifier on a real receipt (proofs' fixture: two signers, an RFC 3161 token). */
class ReceiptAuditTest {
    static ReceiptFixtureAccess fx;
    static List<LedgerKeys> keyDocuments;

    @BeforeAll
    static void fixture() throws Exception {
        fx = new ReceiptFixtureAccess();
        String[] keys = fx.keyLines().strip().split("\n");
        // What two replicas answer at /v1/keys: each its own key first, then the other's, and its TSA certificate.
        keyDocuments = List.of(keys(keys[0], keys[1]), keys(keys[1], keys[0]));
    }

    private static LedgerKeys keys(String first, String second) throws Exception {
        return LedgerKeysCodec.decode(LedgerKeysCodec.encode(new LedgerKeys(fx.origin(), List.of(first, second), fx.tsaPem(),
                List.of(new LedgerKeys.TimestampAuthority(fx.authorityName(), null, fx.authorityPem())))));
    }

    private static RunEvents.Anchored anchored(Receipt r, String digest, long leaf) {
        return new RunEvents.Anchored(r.record().id(), digest, leaf, Instant.now(),
                ReceiptJson.write(r).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aValidReceiptPassesWithEveryReplicaRequired() {
        Receipt r = fx.receipt();
        ReceiptAudit audit = new ReceiptAudit(ReceiptAudit.policy(keyDocuments, 2), r.record().tenant());
        ReceiptAudit.Verdict v = audit.check(anchored(r, r.record().digest(), r.leafIndex()));
        assertNull(v.failure());
        assertFalse(v.withoutTimestamp());
        ReceiptAudit.Outcome all = audit.checkAll(List.of(anchored(r, r.record().digest(), r.leafIndex())));
        assertEquals(1, all.checked());
        assertTrue(all.failures().isEmpty());
    }

    @Test
    void moreReplicasThanSignaturesAWrongTenantOrAnEventThatDisagreesFail() {
        Receipt r = fx.receipt();
        String digest = r.record().digest();
        String three = new ReceiptAudit(ReceiptAudit.policy(keyDocuments, 3), r.record().tenant())
                .check(anchored(r, digest, r.leafIndex())).failure();
        assertTrue(three.startsWith("checkpoint.signature.valid"), three);
        ReceiptAudit audit = new ReceiptAudit(ReceiptAudit.policy(keyDocuments, 2), r.record().tenant());
        assertTrue(audit.check(anchored(r, "0".repeat(64), r.leafIndex())).failure().contains("event digest"));
        assertTrue(audit.check(anchored(r, digest, r.leafIndex() + 1)).failure().contains("event leaf"));
        assertTrue(new ReceiptAudit(ReceiptAudit.policy(keyDocuments, 2), "someone-else")
                .check(anchored(r, digest, r.leafIndex())).failure().contains("tenant"));
        assertEquals("record.anchored event carries no receipt",
                audit.check(new RunEvents.Anchored("x", digest, 1, Instant.now(), null)).failure());
        assertTrue(audit.check(new RunEvents.Anchored("x", digest, 1, Instant.now(), "{}".getBytes(StandardCharsets.UTF_8)))
                .failure().startsWith("receipt.format.valid"));
    }

    @Test
    void anUnderSignedEventIsJudgedByTheReceiptVerifyServesLater() {
        Receipt r = fx.receipt();
        byte[] full = ReceiptJson.write(r).getBytes(StandardCharsets.UTF_8);
        RunEvents.Anchored underSigned = new RunEvents.Anchored(r.record().id(), r.record().digest(), r.leafIndex(),
                Instant.now(), "{}".getBytes(StandardCharsets.UTF_8), true);
        assertNull(new ReceiptAudit(ReceiptAudit.policy(keyDocuments, 2), r.record().tenant(), id -> full)
                .check(underSigned).failure());
        assertTrue(new ReceiptAudit(ReceiptAudit.policy(keyDocuments, 2), r.record().tenant(), id -> null)
                .check(underSigned).failure().contains("verify serves no receipt"));
        assertTrue(new ReceiptAudit(ReceiptAudit.policy(keyDocuments, 3), r.record().tenant(), id -> full)
                .check(underSigned).failure().startsWith("checkpoint.signature.valid"));
    }
}
