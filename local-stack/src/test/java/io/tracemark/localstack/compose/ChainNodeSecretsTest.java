package io.tracemark.localstack.compose;

import io.tracemark.proofs.note.NoteKeys;
import io.tracemark.proofs.note.NoteSigner;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each chain-node replica in docker-compose.yml signs checkpoints and time-stamps with keys it reads from its own
 * Docker secrets, and deploy/make-secrets.sh writes keys the replicas accept: a C2SP signer key named as the replica,
 * and an EC TSA key with its certificate (extended key usage id-kp-timeStamping, critical: RFC 3161 §2.3).
 */
class ChainNodeSecretsTest {
    private static final String TIME_STAMPING = "1.3.6.1.5.5.7.3.8";
    private static final String EXTENDED_KEY_USAGE = "2.5.29.37";
    @TempDir
    static Path root;
    private static ComposeFile compose;

    @BeforeAll
    static void makeSecrets() throws Exception {
        compose = ComposeFile.load();
        Files.createDirectories(root.resolve("deploy"));
        Files.copy(ComposeFile.REPO.resolve("deploy/make-secrets.sh"), root.resolve("deploy/make-secrets.sh"));
        Process p = new ProcessBuilder("bash", "deploy/make-secrets.sh").directory(root.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "make-secrets.sh did not finish");
        assertEquals(0, p.exitValue(), out);
    }

    @Test
    void eachReplicaSignsWithItsOwnSecretSignerKeyNamedAsTheReplica() throws Exception {
        List<String> replicas = replicas();
        assertEquals(2, replicas.size(), "two chain-node replicas: " + replicas);
        Set<String> verifierKeys = new HashSet<>();
        for (String name : replicas) {
            Map<String, Object> svc = compose.services.get(name);
            Map<?, ?> env = ComposeFile.environment(svc);
            Properties config = new Properties();
            for (String location : String.valueOf(env.get("QUARKUS_CONFIG_LOCATIONS")).split(",")) {
                config.load(new StringReader(Files.readString(secretFile(svc, location))));
            }
            String signingKey = config.getProperty("tracemark.chain.signing-key");
            assertTrue(signingKey != null, name + " reads no tracemark.chain.signing-key from its secrets");
            NoteSigner signer = NoteKeys.parseSignerKey(signingKey);
            assertEquals(env.get("TRACEMARK_CHAIN_KEY_NAME"), signer.name(), name + "'s signer key is named for another replica");
            verifierKeys.add(signer.verifier().verifierKey());
        }
        assertEquals(replicas.size(), verifierKeys.size(), "the replicas share a signing key: " + verifierKeys);
    }

    @Test
    void eachReplicaTimeStampsWithItsOwnSecretEcKeyAndATimeStampingCertificate() throws Exception {
        List<String> problems = new ArrayList<>();
        Set<String> certificates = new HashSet<>();
        for (String name : replicas()) {
            Map<String, Object> svc = compose.services.get(name);
            Map<?, ?> env = ComposeFile.environment(svc);
            Path keyFile = secretFile(svc, String.valueOf(env.get("TRACEMARK_CHAIN_TSA_KEY_FILE")));
            Path certFile = secretFile(svc, String.valueOf(env.get("TRACEMARK_CHAIN_TSA_CERTIFICATE_FILE")));
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(certFile)));
            if (!List.of(TIME_STAMPING).equals(cert.getExtendedKeyUsage()) || !cert.getCriticalExtensionOIDs().contains(EXTENDED_KEY_USAGE)) {
                problems.add(name + ": extended key usage " + cert.getExtendedKeyUsage() + " is not id-kp-timeStamping alone, critical");
            }
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pem(keyFile)));
            byte[] probe = name.getBytes(StandardCharsets.UTF_8);
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            s.initVerify(cert.getPublicKey());
            s.update(probe);
            if (!s.verify(sig)) {
                problems.add(name + ": the TSA key is not the certificate's");
            }
            certificates.add(cert.getSubjectX500Principal().getName());
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertEquals(2, certificates.size(), "each replica has its own TSA: " + certificates);
    }

    private static List<String> replicas() {
        return compose.services.keySet().stream().filter(n -> n.startsWith("chain-node")).sorted().toList();
    }

    /** The file make-secrets.sh wrote for the secret a service mounts at {@code path} (/run/secrets/target). */
    private static Path secretFile(Map<String, Object> svc, String path) {
        assertTrue(path.startsWith("/run/secrets/"), path + " is not a mounted secret");
        String target = path.substring("/run/secrets/".length());
        String source = null;
        if (svc.get("secrets") instanceof List<?> l) {
            for (Object s : l) {
                if (s instanceof Map<?, ?> m && target.equals(String.valueOf(m.get("target") != null ? m.get("target") : m.get("source")))) {
                    source = m.get("source").toString();
                } else if (target.equals(String.valueOf(s))) {
                    source = target;
                }
            }
        }
        assertTrue(source != null, path + " is not mounted");
        Object declared = compose.section("secrets").get(source);
        assertTrue(declared instanceof Map<?, ?>, "secret " + source + " is not declared");
        return root.resolve(((Map<?, ?>) declared).get("file").toString());
    }

    private static byte[] pem(Path file) throws Exception {
        String text = Files.readString(file);
        assertTrue(text.contains("-----BEGIN PRIVATE KEY-----"), file + " is not a PKCS #8 PEM key");
        String body = text.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }
}
