package io.tracemark.chain.timestamp;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TsaIdentityFilesTest {
    @TempDir
    Path dir;

    @Test
    void anIdentitySuppliedAsFilesIsTheOneInThoseFiles() {
        TsaIdentity made = TsaIdentity.loadOrCreate(dir.resolve("a"), "tracemark.example/chain-node-1");
        TsaIdentity read = TsaIdentity.fromFiles(dir.resolve("a/tsa-key.pem"), dir.resolve("a/tsa.pem"));
        assertEquals(made.certificate(), read.certificate());
        assertEquals(made.privateKey(), read.privateKey());
        new TokenIssuer(read);
    }

    @Test
    void refusesAKeyThatIsNotTheCertificatesNamingBothFiles() {
        TsaIdentity.loadOrCreate(dir.resolve("a"), "a");
        TsaIdentity.loadOrCreate(dir.resolve("b"), "b");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TsaIdentity.fromFiles(dir.resolve("a/tsa-key.pem"), dir.resolve("b/tsa.pem")));
        assertEquals("the TSA key " + dir.resolve("a/tsa-key.pem") + " is not the key of the certificate "
                + dir.resolve("b/tsa.pem"), e.getMessage());
    }

    @Test
    void refusesACertificateWithoutTheCriticalTimeStampingUsage() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = gen.generateKeyPair();
        X500Name subject = new X500Name("CN=Not a TSA");
        var cert = new JcaX509v3CertificateBuilder(subject, BigInteger.TEN, Date.from(Instant.now().minusSeconds(60)),
                Date.from(Instant.now().plusSeconds(86_400)), subject, pair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
        Files.writeString(dir.resolve("key.pem"), pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(pair.getPrivate(), null)));
        Files.writeString(dir.resolve("cert.pem"), pem(cert));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TsaIdentity.fromFiles(dir.resolve("key.pem"), dir.resolve("cert.pem")));
        assertTrue(e.getMessage().contains("must carry one critical extended key usage, id-kp-timeStamping"), e.getMessage());
    }

    @Test
    void aKeyFileWithoutItsCertificateIsAConfigurationError() {
        assertEquals(Optional.empty(), TsaKeyFiles.of(Optional.empty(), Optional.of(" ")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TsaKeyFiles.of(Optional.of("/run/secrets/tsa-key.pem"), Optional.empty()));
        assertTrue(e.getMessage().contains("give both or neither"), e.getMessage());
    }

    @Test
    void theKeysDeployMakeSecretsWritesAreAcceptedByTheReplica() throws Exception {
        Files.createDirectories(dir.resolve("deploy"));
        Files.copy(Path.of("../deploy/make-secrets.sh"), dir.resolve("deploy/make-secrets.sh"));
        Process p = new ProcessBuilder("bash", "deploy/make-secrets.sh").directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        Path secrets = dir.resolve("secrets");
        TsaIdentity tsa = TsaIdentity.fromFiles(secrets.resolve("chain-node-2-tsa-key.pem"), secrets.resolve("chain-node-2-tsa.pem"));
        new TokenIssuer(tsa);
        java.util.Properties config = new java.util.Properties();
        config.load(Files.newBufferedReader(secrets.resolve("chain-node-2.properties")));
        var signer = io.tracemark.chain.checkpoint.SignerKeyFile.load(Optional.of(config.getProperty("tracemark.chain.signing-key")),
                dir.resolve("unused"), "tracemark.example/chain-node-2");
        assertEquals("tracemark.example/chain-node-2", signer.name());
    }

    private static String pem(Object o) throws Exception {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(o);
        }
        return w.toString();
    }
}
