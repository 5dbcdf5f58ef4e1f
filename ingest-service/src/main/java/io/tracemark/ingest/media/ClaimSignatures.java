package io.tracemark.ingest.media;

import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.DSADigestSigner;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.crypto.util.PublicKeyFactory;

import java.io.IOException;

/**
 * Verifies a claimant's signature over a media work claim: Ed25519 (RFC 8032) or ECDSA P-256 with
 * SHA-256 (FIPS 186-5; signature DER-encoded or as raw r‖s), public key as X.509
 * SubjectPublicKeyInfo DER.
 */
public final class ClaimSignatures {
    private static final X9ECParameters P256 = ECNamedCurveTable.getByOID(SECObjectIdentifiers.secp256r1);

    private ClaimSignatures() {
    }

    /** Signature algorithms accepted, as named in the claim. */
    public enum Alg { Ed25519, ES256 }

    /** Why a signature was refused; {@code code} is stable. */
    public record Failure(String pointer, String code, String detail) {
    }

    /** Null if {@code signature} over {@code message} verifies under {@code spki}, else the failure. */
    public static Failure verify(Alg alg, byte[] spki, byte[] message, byte[] signature) {
        AsymmetricKeyParameter key;
        try {
            key = PublicKeyFactory.createKey(SubjectPublicKeyInfo.getInstance(spki));
        } catch (IOException | RuntimeException e) {
            return new Failure("/signature/publicKey", "signature.key-invalid",
                    "publicKey is not a DER SubjectPublicKeyInfo");
        }
        if (alg == Alg.Ed25519) {
            if (!(key instanceof Ed25519PublicKeyParameters ed)) {
                return new Failure("/signature/publicKey", "signature.key-mismatch", "alg Ed25519 needs an Ed25519 key");
            }
            Ed25519Signer s = new Ed25519Signer();
            s.init(false, ed);
            s.update(message, 0, message.length);
            return s.verifySignature(signature) ? null : bad();
        }
        if (!(key instanceof ECPublicKeyParameters ec) || !ec.getParameters().getCurve().equals(P256.getCurve())) {
            return new Failure("/signature/publicKey", "signature.key-mismatch", "alg ES256 needs a P-256 key");
        }
        DSADigestSigner s = new DSADigestSigner(new ECDSASigner(), new SHA256Digest(),
                signature.length == 64 ? PlainDSAEncoding.INSTANCE : StandardDSAEncoding.INSTANCE);
        s.init(false, ec);
        s.update(message, 0, message.length);
        try {
            return s.verifySignature(signature) ? null : bad();
        } catch (RuntimeException e) {
            return bad();
        }
    }

    private static Failure bad() {
        return new Failure("/signature/value", "signature.invalid",
                "the signature does not verify over the RFC 8785 canonical claim (the payload without 'signature')");
    }
}
