package io.tracemark.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The operator's admin key and the demo tenant's API key of a local stack, kept in its data
 * directory (owner-readable only) so that a second start reuses them.
 */
final class AdminKeys {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AdminKeys() {
    }

    /** Reads {@code admin-api-key}, creating a random one on first start. */
    static String adminKey(Path dataDir) throws IOException {
        Path f = dataDir.resolve("admin-api-key");
        if (Files.isRegularFile(f)) {
            return Files.readString(f).trim();
        }
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        String key = "tmadmin_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        writeSecret(f, key);
        return key;
    }

    /** Hex SHA-256 of a key, which is all the services are told of it. */
    static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The demo tenant's key from {@code demo-api-key}, issuing it through ingest's admin API on first start. */
    static DemoKey demoKey(Path dataDir, String ingestUrl, String adminKey) throws IOException, InterruptedException {
        Path f = dataDir.resolve("demo-api-key");
        if (Files.isRegularFile(f)) {
            return new DemoKey(Files.readString(f).trim(), false);
        }
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(ingestUrl + "/v1/admin/tenants/demo/api-keys"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"roles\":[\"read\",\"write\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("could not create the demo tenant: HTTP " + r.statusCode() + " " + r.body());
        }
        JsonNode body = JSON.readTree(r.body());
        String key = body.path("apiKey").asText();
        writeSecret(f, key);
        return new DemoKey(key, true);
    }

    /**
     * Declares the GS1 Company Prefixes a tenant registers under (ingest refuses other brands' GTINs); idempotent,
     * so every start repeats it.
     */
    static void declareCompanyPrefixes(String ingestUrl, String adminKey, String tenant, java.util.List<String> prefixes)
            throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(ingestUrl + "/v1/admin/tenants/" + tenant + "/company-prefixes"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminKey)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                        java.util.Map.of("companyPrefixes", prefixes)))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("could not declare the company prefixes of " + tenant + ": HTTP "
                    + r.statusCode() + " " + r.body());
        }
    }

    /** The demo tenant's API key and whether it was created by this start. */
    record DemoKey(String apiKey, boolean created) {
    }

    /** Writes a secret to {@code f} readable by its owner only (on POSIX), never briefly readable by others. */
    static void writeSecret(Path f, String value) throws IOException {
        Files.createDirectories(f.getParent());
        Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException ignored) {
            // Not a POSIX file system (Windows): the file keeps the directory's permissions.
            Files.createFile(tmp);
        }
        Files.writeString(tmp, value + "\n");
        Files.move(tmp, f, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
