package io.tracemark.ingest.access;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * An operator admin key (configured only as its SHA-256), a one-second API key cache so revocation
 * by another replica shows within the test, and the full log written to a file of its own under
 * {@code target/} (with HTTP access and MongoDB command logging) so tests can search it for secrets.
 */
public class AccessControlProfile implements QuarkusTestProfile {
    /** The operator's admin key; only its hash is in the configuration. */
    public static final String ADMIN_KEY = "tmadmin-" + HexFormat.of().formatHex(random(24));
    /** The log file of this run. */
    public static final String LOG_FILE = "target/access-control-" + System.nanoTime() + ".log";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("tracemark.edge.admin-key-sha256", sha256(ADMIN_KEY)),
                Map.entry("tracemark.edge.api-key-cache", "PT1S"),
                Map.entry("quarkus.log.file.enabled", "true"),
                Map.entry("quarkus.log.file.path", LOG_FILE),
                Map.entry("quarkus.log.file.level", "DEBUG"),
                Map.entry("quarkus.log.category.\"io.tracemark\".level", "DEBUG"),
                Map.entry("quarkus.log.category.\"org.mongodb.driver.protocol.command\".level", "DEBUG"),
                Map.entry("quarkus.http.access-log.enabled", "true"));
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new java.security.SecureRandom().nextBytes(b);
        return b;
    }
}
