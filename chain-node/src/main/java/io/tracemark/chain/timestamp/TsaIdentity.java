package io.tracemark.chain.timestamp;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The replica's RFC 3161 time-stamping identity: an EC P-256 key and a self-issued certificate whose
 * only, critical, extended key usage is id-kp-timeStamping (RFC 3161 §2.3), created on first start.
 *
 * @param privateKey  the TSA signing key
 * @param certificate the TSA certificate
 */
public record TsaIdentity(PrivateKey privateKey, X509Certificate certificate) {
    private static final Duration VALIDITY = Duration.ofDays(3650);
    private static final String TIME_STAMPING = KeyPurposeId.id_kp_timeStamping.getId();

    /**
     * Loads an identity the operator supplies (e.g. Docker secrets): a PEM EC private key and its PEM certificate,
     * whose extended key usage must be id-kp-timeStamping alone and critical (RFC 3161 §2.3). Refuses a key that is
     * not the certificate's, naming both files.
     */
    public static TsaIdentity fromFiles(Path keyFile, Path certFile) {
        TsaIdentity id;
        try {
            id = read(keyFile, certFile);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("cannot read the TSA key " + keyFile + " and certificate " + certFile + ": "
                    + e.getMessage(), e);
        }
        if (!"EC".equals(id.privateKey.getAlgorithm())) {
            throw new IllegalStateException("the TSA key " + keyFile + " is " + id.privateKey.getAlgorithm()
                    + "; time-stamp tokens are signed with SHA256withECDSA, so it must be an EC key");
        }
        try {
            List<String> usage = id.certificate.getExtendedKeyUsage();
            if (usage == null || !usage.equals(List.of(TIME_STAMPING))
                    || !id.certificate.getCriticalExtensionOIDs().contains(Extension.extendedKeyUsage.getId())) {
                throw new IllegalStateException("the TSA certificate " + certFile + " must carry one critical extended "
                        + "key usage, id-kp-timeStamping (RFC 3161 §2.3); it has " + usage);
            }
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature sign = Signature.getInstance("SHA256withECDSA");
            sign.initSign(id.privateKey);
            sign.update(probe);
            byte[] sig = sign.sign();
            Signature check = Signature.getInstance("SHA256withECDSA");
            check.initVerify(id.certificate.getPublicKey());
            check.update(probe);
            if (!check.verify(sig)) {
                throw new IllegalStateException("the TSA key " + keyFile + " is not the key of the certificate " + certFile);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the TSA key " + keyFile + " is not the key of the certificate " + certFile
                    + ": " + e.getMessage(), e);
        }
        return id;
    }

    /** Loads {@code dir/tsa-key.pem} and {@code dir/tsa.pem}, creating both if absent. */
    public static TsaIdentity loadOrCreate(Path dir, String name) {
        Path keyFile = dir.resolve("tsa-key.pem");
        Path certFile = dir.resolve("tsa.pem");
        try {
            if (Files.exists(keyFile) && Files.exists(certFile)) {
                return read(keyFile, certFile);
            }
            Files.createDirectories(dir);
            TsaIdentity created = create(name);
            write(dir, keyFile, pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(created.privateKey, null)));
            write(dir, certFile, created.certificatePem());
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot set up the TSA identity", e);
        }
    }

    /** The certificate in PEM form. */
    public String certificatePem() {
        return pem(certificate);
    }

    private static TsaIdentity create(String name) throws GeneralSecurityException, OperatorCreationException,
            IOException {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = gen.generateKeyPair();
        X500Name subject = new X500Name("CN=Tracemark TSA " + name.replaceAll("[,=+<>#;\"\\\\]", "_") + ",O=Tracemark");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject,
                new BigInteger(64, new SecureRandom()).add(BigInteger.ONE), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.extendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
        X509CertificateHolder holder = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
        return new TsaIdentity(pair.getPrivate(), new JcaX509CertificateConverter().getCertificate(holder));
    }

    private static TsaIdentity read(Path keyFile, Path certFile) throws IOException, GeneralSecurityException {
        PrivateKey key;
        try (PEMParser p = new PEMParser(new StringReader(Files.readString(keyFile)))) {
            // PKCS #8 ("PRIVATE KEY", what this class and openssl genpkey write) or SEC 1 ("EC PRIVATE KEY").
            Object o = p.readObject();
            org.bouncycastle.asn1.pkcs.PrivateKeyInfo info = o instanceof org.bouncycastle.openssl.PEMKeyPair pair
                    ? pair.getPrivateKeyInfo() : (org.bouncycastle.asn1.pkcs.PrivateKeyInfo) o;
            key = new JcaPEMKeyConverter().getPrivateKey(info);
        }
        try (PEMParser p = new PEMParser(new StringReader(Files.readString(certFile)))) {
            X509CertificateHolder holder = (X509CertificateHolder) p.readObject();
            return new TsaIdentity(key, new JcaX509CertificateConverter().getCertificate(holder));
        }
    }

    private static String pem(Object o) {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static void write(Path dir, Path file, String text) throws IOException {
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Non-POSIX file systems cannot restrict access; the file stays inside the data dir.
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
