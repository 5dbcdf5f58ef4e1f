package io.tracemark.proofs.receipt;

import java.io.IOException;
import java.io.StringReader;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.time.Instant;
import java.util.Collection;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.util.Store;

/** RFC 3161 time-stamp tokens: normalising responses to tokens and verifying them with Bouncy Castle TSP. */
public final class TimestampTokens {
    private TimestampTokens() {
    }

    /**
     * A token that verified: when it says the imprint existed, which certificate signed it and the token's
     * serial number (RFC 3161 §2.4.2 TSTInfo).
     */
    public record Verified(Instant genTime, X509CertificateHolder signer, String serialNumber) {
    }

    /**
     * Returns the DER {@code TimeStampToken} in {@code der}, which may be a whole
     * {@code TimeStampResp} (RFC 3161 §2.4.2) or already a token.
     *
     * @throws IllegalArgumentException if it is neither, or the response carries no granted token
     */
    public static byte[] tokenBytes(byte[] der) {
        TimeStampResponse resp;
        try {
            resp = new TimeStampResponse(der);
        } catch (TSPException | IOException | RuntimeException notAResponse) {
            return encoded(parse(der));
        }
        if (resp.getTimeStampToken() == null) {
            throw new IllegalArgumentException("timestamp.malformed: time-stamp response grants no token (status "
                    + resp.getStatus() + ")");
        }
        return encoded(resp.getTimeStampToken());
    }

    /**
     * Verifies a DER token: signed by one of {@code trusted}, SHA-256 imprint equal to SHA-256 of
     * {@code stamped}, and nothing outside the signature other than what a plain token carries
     * ({@link TimestampTokenShape}). A certificate the token carries is never trusted for being there.
     *
     * @throws IllegalArgumentException with a reason starting with a stable code:
     *     {@code timestamp.malformed}, {@code timestamp.signer.untrusted}, {@code timestamp.signature.invalid},
     *     {@code timestamp.imprint.algorithm} or {@code timestamp.imprint.mismatch}
     */
    public static Verified verify(byte[] tokenDer, byte[] stamped, Collection<X509CertificateHolder> trusted) {
        TimeStampToken token = parse(tokenDer);
        var info = token.getTimeStampInfo();
        if (!NISTObjectIdentifiers.id_sha256.equals(info.getMessageImprintAlgOID())) {
            throw new IllegalArgumentException("timestamp.imprint.algorithm: imprint uses "
                    + info.getMessageImprintAlgOID() + ", expected SHA-256");
        }
        byte[] expected = sha256(stamped);
        if (!MessageDigest.isEqual(expected, info.getMessageImprintDigest())) {
            throw new IllegalArgumentException("timestamp.imprint.mismatch: token stamps "
                    + hex(info.getMessageImprintDigest()) + ", checkpoint hashes to " + hex(expected));
        }
        for (X509CertificateHolder cert : trusted) {
            if (!token.getSID().match(cert)) {
                continue;
            }
            String shape = TimestampTokenShape.problem(tokenDer, cert);
            if (shape != null) {
                throw new IllegalArgumentException("timestamp.malformed: " + shape);
            }
            try {
                token.validate(new JcaSimpleSignerInfoVerifierBuilder().build(cert));
                return new Verified(info.getGenTime().toInstant(), cert, info.getSerialNumber().toString());
            } catch (TSPException e) {
                throw new IllegalArgumentException("timestamp.signature.invalid: " + e.getMessage(), e);
            } catch (OperatorCreationException | CertificateException e) {
                throw new IllegalArgumentException("timestamp.malformed: TSA certificate unusable: " + e.getMessage(), e);
            }
        }
        throw new IllegalArgumentException("timestamp.signer.untrusted: the token is signed by " + signerName(token)
                + ", which is not among the " + trusted.size() + " trusted TSA certificate(s)");
    }

    /** The signer a token names: the subject of the certificate it carries for it, else issuer and serial. */
    private static String signerName(TimeStampToken token) {
        @SuppressWarnings("unchecked")
        Store<X509CertificateHolder> carried = token.getCertificates();
        for (X509CertificateHolder c : carried.getMatches(null)) {
            if (token.getSID().match(c)) {
                return "'" + c.getSubject() + "' (issuer '" + c.getIssuer() + "', serial " + c.getSerialNumber() + ")";
            }
        }
        return "issuer '" + token.getSID().getIssuer() + "' serial " + token.getSID().getSerialNumber();
    }

    /**
     * Parses one PEM certificate.
     *
     * @throws IllegalArgumentException if the text holds no X.509 certificate
     */
    public static X509CertificateHolder parseCertificatePem(String pem) {
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            Object o = p.readObject();
            if (o instanceof X509CertificateHolder h) {
                return h;
            }
            throw new IllegalArgumentException("timestamp.malformed: PEM text holds no certificate");
        } catch (IOException e) {
            throw new IllegalArgumentException("timestamp.malformed: unreadable PEM certificate: " + e.getMessage(), e);
        }
    }

    /** SHA-256 of the given bytes. */
    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TimeStampToken parse(byte[] der) {
        try {
            return new TimeStampToken(new CMSSignedData(der));
        } catch (CMSException | TSPException | IOException | RuntimeException e) {
            throw new IllegalArgumentException("timestamp.malformed: not a DER TimeStampToken: " + e.getMessage(), e);
        }
    }

    private static byte[] encoded(TimeStampToken token) {
        try {
            return token.getEncoded();
        } catch (IOException e) {
            throw new IllegalArgumentException("timestamp.malformed: token cannot be re-encoded", e);
        }
    }

    private static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }
}
