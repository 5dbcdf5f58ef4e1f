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
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
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
            key = new JcaPEMKeyConverter().getPrivateKey((org.bouncycastle.asn1.pkcs.PrivateKeyInfo) p.readObject());
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
