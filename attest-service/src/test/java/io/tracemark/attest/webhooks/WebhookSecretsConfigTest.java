package io.tracemark.attest.webhooks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookSecretsConfigTest {
    private static final String K1 = "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @Test
    void refusesToStartWithoutAKeyAndNamesTheEnvironmentVariables() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new WebhookSecrets(Optional.empty(), Optional.of(" "), false));
        assertTrue(e.getMessage().contains("TRACEMARK_ATTEST_WEBHOOKS_SECRET_KEYS="), e.getMessage());
        assertTrue(e.getMessage().contains("TRACEMARK_ATTEST_WEBHOOKS_SECRET_KEY_FILE="), e.getMessage());
    }

    @Test
    void refusesThePublishedDevelopmentKeyOutsideDevAndTest() {
        String dev = "insecure-dev" + K1.substring(2);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new WebhookSecrets(Optional.of(dev), Optional.empty(), false));
        assertEquals("Webhook secret key insecure-dev is the published development key; set "
                + "TRACEMARK_ATTEST_WEBHOOKS_SECRET_KEYS to a key of your own.", e.getMessage());
        WebhookSecrets inTest = new WebhookSecrets(Optional.of(dev), Optional.empty(), true);
        assertTrue(inTest.seal("t", "ep_1", SECRET).startsWith("v1:insecure-dev:"));
    }

    @Test
    void badKeyListNamesTheSettingButNotTheKey() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new WebhookSecrets(Optional.of(K1.substring(0, 19)), Optional.empty(), false));
        assertEquals("tracemark.attest.webhooks.secret-keys (TRACEMARK_ATTEST_WEBHOOKS_SECRET_KEYS): key k1 is 12 bytes;"
                + " AES-256 needs 32", e.getMessage());
    }

    @Test
    void keyFileIsCreatedOwnerOnlyOnceAndReusedAfterwards(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data/webhook-secret-key");
        WebhookSecrets first = new WebhookSecrets(Optional.empty(), Optional.of(file.toString()), false);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String content = Files.readString(file);
        assertTrue(content.matches("local-[0-9a-f]{8}:[A-Za-z0-9+/]{43}=\n"), "one key line");
        String sealed = first.seal("t", "ep_1", SECRET);
        WebhookSecrets second = new WebhookSecrets(Optional.empty(), Optional.of(file.toString()), false);
        assertEquals(content, Files.readString(file));
        assertEquals(SECRET, second.open("t", "ep_1", sealed));
        try (var siblings = Files.list(file.getParent())) {
            assertEquals(1, siblings.count(), "no temporary file left behind");
        }
    }

    @Test
    void keyFileKeysOpenAfterTheListedKeysWhichSeal(@TempDir Path dir) {
        Path file = dir.resolve("webhook-secret-key");
        String underFileKey = new WebhookSecrets(Optional.empty(), Optional.of(file.toString()), false).seal("t", "ep_1", SECRET);
        WebhookSecrets both = new WebhookSecrets(Optional.of(K1), Optional.of(file.toString()), false);
        assertEquals(SECRET, both.open("t", "ep_1", underFileKey));
        assertTrue(both.seal("t", "ep_1", SECRET).startsWith("v1:k1:"));
    }

    @Test
    void legacyPlainTextSecretsOpenAsTheyAreAndResealUnderTheCurrentKey() {
        WebhookSecrets s = new WebhookSecrets(Optional.of(K1), Optional.empty(), false);
        assertEquals(SECRET, s.open("t", "ep_1", SECRET));
        String resealed = s.reseal("t", "ep_1", SECRET);
        assertTrue(resealed.startsWith("v1:k1:"));
        assertEquals(SECRET, s.open("t", "ep_1", resealed));
        assertEquals(resealed, s.reseal("t", "ep_1", resealed));
    }

    @Test
    void resealMovesValuesOfAnOlderKeyToTheSealingKey() {
        String k0 = "k0" + K1.substring(2).replace("AAEC", "AQEC");
        String old = new WebhookSecrets(Optional.of(k0), Optional.empty(), false).seal("t", "ep_1", SECRET);
        WebhookSecrets rotated = new WebhookSecrets(Optional.of(K1.replace("AAEC", "AgEC") + "," + k0), Optional.empty(), false);
        String moved = rotated.reseal("t", "ep_1", old);
        assertNotEquals(old, moved);
        assertTrue(moved.startsWith("v1:k1:"));
        assertEquals(SECRET, rotated.open("t", "ep_1", moved));
    }
}
