package io.tracemark.attest.webhooks;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretBoxTest {
    /** Key 00 01 … 1f. */
    private static final String K1 = "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private static final String K2 = "k2:" + Base64.getEncoder().encodeToString(SecretBox.Key.generate("x").material());
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final byte[] CONTEXT = SecretBox.context("webhook-subscription", "tenant-a", "ep_1");
    /** Sealed once under K1 with CONTEXT; opening it guards the stored format against silent changes. */
    private static final String FIXTURE =
            "v1:k1:zHbbTRSoPU_PtE3IE9Z52yyz6gWbDt9fE13Bzlz2ZQsuE7FfIhYfs2epDSJyyHxlJcqaU0aum-SrQF4SqbY8bVdK";

    private static SecretBox box(String spec) {
        return new SecretBox(SecretBox.parseKeys(spec));
    }

    /** FIXTURE with its decoded body changed by {@code edit}. */
    private static String mutated(UnaryOperator<byte[]> edit) {
        String[] p = FIXTURE.split(":", 3);
        byte[] body = edit.apply(Base64.getUrlDecoder().decode(p[2]));
        return p[0] + ":" + p[1] + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(body);
    }

    private static byte[] flip(byte[] b, int i) {
        byte[] c = b.clone();
        c[i >= 0 ? i : c.length + i] ^= 0x01;
        return c;
    }

    private static SecretBoxException.Code failure(SecretBox box, String sealed, byte[] context) {
        return assertThrows(SecretBoxException.class, () -> box.open(sealed, context)).code();
    }

    @Test
    void storedFixtureOpensToItsSecret() {
        assertEquals(SECRET, box(K1).open(FIXTURE, CONTEXT));
    }

    @Test
    void sealedValueHasVersionKeyIdAndNonceCiphertextTag() {
        String sealed = box(K1).seal(SECRET, CONTEXT);
        assertTrue(sealed.matches("v1:k1:[A-Za-z0-9_-]+"), sealed);
        assertEquals(12 + SECRET.length() + 16, Base64.getUrlDecoder().decode(sealed.substring(6)).length);
        assertFalse(sealed.contains(SECRET.substring(6)));
        assertEquals(SECRET, box(K1).open(sealed, CONTEXT));
    }

    @Test
    void everySealUsesAFreshNonce() {
        SecretBox box = box(K1);
        byte[] a = Base64.getUrlDecoder().decode(box.seal(SECRET, CONTEXT).substring(6));
        byte[] b = Base64.getUrlDecoder().decode(box.seal(SECRET, CONTEXT).substring(6));
        assertFalse(Arrays.equals(Arrays.copyOf(a, 12), Arrays.copyOf(b, 12)));
    }

    @Test
    void flippedNonceByteFailsAuthentication() {
        assertEquals(SecretBoxException.Code.AUTHENTICATION_FAILED, failure(box(K1), mutated(b -> flip(b, 0)), CONTEXT));
    }

    @Test
    void flippedCiphertextByteFailsAuthentication() {
        assertEquals(SecretBoxException.Code.AUTHENTICATION_FAILED, failure(box(K1), mutated(b -> flip(b, 12)), CONTEXT));
    }

    @Test
    void flippedTagByteFailsAuthentication() {
        assertEquals(SecretBoxException.Code.AUTHENTICATION_FAILED, failure(box(K1), mutated(b -> flip(b, -1)), CONTEXT));
    }

    @Test
    void valueMovedToAnotherSubscriptionFailsAuthentication() {
        SecretBox box = box(K1);
        assertEquals(SecretBoxException.Code.AUTHENTICATION_FAILED,
                failure(box, FIXTURE, SecretBox.context("webhook-subscription", "tenant-a", "ep_2")));
        assertEquals(SecretBoxException.Code.AUTHENTICATION_FAILED,
                failure(box, FIXTURE, SecretBox.context("webhook-subscription", "tenant-b", "ep_1")));
    }

    @Test
    void keyIdInTheHeaderIsAuthenticated() {
        String sameKeyOtherId = "k2" + K1.substring(2);
        SecretBox box = box(K1 + "," + sameKeyOtherId);
        assertEquals(SecretBoxException.Code.AUTHENTICATION_FAILED, failure(box, FIXTURE.replace("v1:k1:", "v1:k2:"), CONTEXT));
    }

    @Test
    void unknownKeyIdIsReportedWithoutTryingOtherKeys() {
        SecretBoxException e = assertThrows(SecretBoxException.class,
                () -> box(K2).open(FIXTURE, CONTEXT));
        assertEquals(SecretBoxException.Code.UNKNOWN_KEY, e.code());
        assertEquals("secret.unknown-key: sealed under key id k1, configured: k2", e.getMessage());
    }

    @Test
    void otherVersionIsUnsupported() {
        assertEquals(SecretBoxException.Code.UNSUPPORTED_VERSION, failure(box(K1), "v2" + FIXTURE.substring(2), CONTEXT));
    }

    @Test
    void truncatedOrGarbledValuesAreMalformed() {
        SecretBox box = box(K1);
        assertEquals(SecretBoxException.Code.MALFORMED, failure(box, mutated(b -> Arrays.copyOf(b, 27)), CONTEXT));
        assertEquals(SecretBoxException.Code.MALFORMED, failure(box, "v1:k1:not*base64", CONTEXT));
        assertEquals(SecretBoxException.Code.MALFORMED, failure(box, "v1k1", CONTEXT));
    }

    @Test
    void aSecondKeyAddedFirstStillOpensValuesOfTheFirst() {
        String underK1 = box(K1).seal(SECRET, CONTEXT);
        SecretBox rotated = box(K2 + "," + K1);
        assertEquals(SECRET, rotated.open(underK1, CONTEXT));
        assertEquals(SECRET, rotated.open(FIXTURE, CONTEXT));
        String underK2 = rotated.seal(SECRET, CONTEXT);
        assertTrue(underK2.startsWith("v1:k2:"));
        assertEquals(SecretBoxException.Code.UNKNOWN_KEY, failure(box(K1), underK2, CONTEXT));
    }

    @Test
    void contextFieldsAreLengthPrefixed() {
        assertNotEquals(Arrays.toString(SecretBox.context("ab", "c")), Arrays.toString(SecretBox.context("a", "bc")));
        assertArrayEquals(new byte[]{0, 0, 0, 1, 'a', 0, 0, 0, 0}, SecretBox.context("a", ""));
    }

    @Test
    void keyListErrorsNameTheEntryButNeverTheKey() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SecretBox.parseKeys(K1 + ",k2:" + shortKey));
        assertEquals("key k2 is 16 bytes; AES-256 needs 32", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SecretBox.parseKeys("k3:%%%"));
        assertEquals("entry 1 (key id k3): key is not base64", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SecretBox.parseKeys(K1.substring(3)));
        assertEquals("entry 1 is not <key-id>:<base64 key>", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SecretBox(SecretBox.parseKeys(K1 + "," + K1)));
        assertEquals("key id k1 appears twice", e.getMessage());
        assertEquals("Key[k1]", SecretBox.parseKeys(K1).get(0).toString());
        assertEquals(List.of("k2", "k1"), box(K2 + ", " + K1).keyIds());
    }
}
