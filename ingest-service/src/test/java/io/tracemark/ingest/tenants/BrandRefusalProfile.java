package io.tracemark.ingest.tenants;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/** Production's brand rule (other brands' GTINs refused) and an operator admin key, configured as its SHA-256. */
public class BrandRefusalProfile implements QuarkusTestProfile {
    /** The operator's admin key. */
    public static final String ADMIN_KEY = "tmadmin-" + UUID.randomUUID();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("tracemark.ingest.brand.unowned-gtins", "refuse",
                "tracemark.edge.admin-key-sha256", sha256(ADMIN_KEY));
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
