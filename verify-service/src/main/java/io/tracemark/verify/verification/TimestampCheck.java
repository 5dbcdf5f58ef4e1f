package io.tracemark.verify.verification;

import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.canonical.RecordDigest;
import io.tracemark.proofs.note.Note;
import io.tracemark.verify.chain.TrustPolicy;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.cms.SignerInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.tsp.TimeStampToken;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code timestamp.token.valid}: the receipt's RFC 3161 time-stamp token (§2.4.2, a CMS SignedData
 * ContentInfo) is signed by the ledger's TSA over SHA-256 of the receipt's checkpoint body.
 *
 * <p>CMS leaves some fields outside the signature (digest algorithm list, certificate bag, unsigned
 * attributes, the outer content type). They are pinned here to the only values a Tracemark TSA
 * produces, and the token must be DER, so no byte of it can change unnoticed.
 */
public final class TimestampCheck {
    static final String CODE = "timestamp.token.valid";

    private TimestampCheck() {
    }

    /** Runs the check; skipped when the receipt carries no time-stamp. */
    public static Check check(ReceiptInput r, TrustPolicy.Snapshot trust) {
        if (r.timestampToken() == null) {
            return Check.skip(CODE, "the receipt carries no time-stamp (the checkpoint was not stamped yet)");
        }
        if (trust.tsaCertificate() == null || trust.tsaCertificate().isBlank()) {
            return Check.error(CODE, "the ledger publishes no TSA certificate to check the time-stamp against");
        }
        byte[] body;
        try {
            body = Note.parse(r.checkpoint().getBytes(StandardCharsets.UTF_8)).textBytes();
        } catch (ProofException e) {
            return Check.fail(CODE, "checkpoint is unreadable, so there is nothing the time-stamp could cover");
        }
        X509CertificateHolder cert;
        try (PEMParser pem = new PEMParser(new StringReader(trust.tsaCertificate()))) {
            cert = (X509CertificateHolder) pem.readObject();
        } catch (Exception e) {
            return Check.error(CODE, "the ledger's TSA certificate is unreadable");
        }
        TimeStampToken token;
        try {
            String shape = unsignedFieldsProblem(r.timestampToken(), cert);
            if (shape != null) {
                return Check.fail(CODE, shape);
            }
            token = new TimeStampToken(ContentInfo.getInstance(r.timestampToken()));
        } catch (Exception e) {
            return Check.fail(CODE, "the time-stamp is not a DER RFC 3161 TimeStampToken");
        }
        // validate() checks the signature and the signed certificate hash, but not the signer identifier.
        if (!token.getSID().match(cert)) {
            return Check.fail(CODE, "the time-stamp token names a signer other than the ledger's TSA");
        }
        try {
            token.validate(new JcaSimpleSignerInfoVerifierBuilder().build(cert));
        } catch (Exception e) {
            return Check.fail(CODE, "the time-stamp token's signature does not verify with the ledger's TSA certificate");
        }
        byte[] expected = RecordDigest.sha256(body);
        byte[] imprint = token.getTimeStampInfo().getMessageImprintDigest();
        if (!Arrays.equals(expected, imprint)) {
            return Check.mismatch(CODE, "the time-stamp covers a different checkpoint",
                    ReceiptChecks.HEX.formatHex(expected), ReceiptChecks.HEX.formatHex(imprint));
        }
        String genTime = token.getTimeStampInfo().getGenTime().toInstant().toString();
        return Check.pass(CODE, "the ledger's TSA time-stamped this checkpoint at " + genTime)
                .with(Map.of("genTime", genTime, "serialNumber", token.getTimeStampInfo().getSerialNumber().toString()));
    }

    /** What is wrong with the parts of the token its signature does not cover, or null. */
    static String unsignedFieldsProblem(byte[] der, X509CertificateHolder tsa) throws Exception {
        ASN1Primitive parsed = ASN1Primitive.fromByteArray(der);
        if (!Arrays.equals(parsed.getEncoded(ASN1Encoding.DER), der)) {
            return "the time-stamp token is not DER";
        }
        ContentInfo ci = ContentInfo.getInstance(parsed);
        if (!CMSObjectIdentifiers.signedData.equals(ci.getContentType())) {
            return "the time-stamp token is not CMS SignedData";
        }
        SignedData sd = SignedData.getInstance(ci.getContent());
        if (!PKCSObjectIdentifiers.id_ct_TSTInfo.equals(sd.getEncapContentInfo().getContentType())
                || !(sd.getEncapContentInfo().getContent() instanceof ASN1OctetString)) {
            return "the time-stamp token does not encapsulate a TSTInfo octet string";
        }
        if (sd.getSignerInfos().size() != 1) {
            return "the time-stamp token must have exactly one signer";
        }
        SignerInfo si = SignerInfo.getInstance(sd.getSignerInfos().getObjectAt(0));
        // Rebuilding from the typed fields puts every tag where CMS says; a retagged field would differ.
        if (!Arrays.equals(sd.getEncoded(ASN1Encoding.DER), ci.getContent().toASN1Primitive().getEncoded(ASN1Encoding.DER))
                || !Arrays.equals(si.getEncoded(ASN1Encoding.DER),
                sd.getSignerInfos().getObjectAt(0).toASN1Primitive().getEncoded(ASN1Encoding.DER))) {
            return "the time-stamp token has a field with the wrong tag";
        }
        int siVersion = si.getSID().isTagged() ? 3 : 1;
        if (sd.getVersion().intValueExact() != 3 || si.getVersion().intValueExact() != siVersion) {
            return "the time-stamp token has unexpected CMS versions";
        }
        if (sd.getDigestAlgorithms().size() != 1
                || !si.getDigestAlgorithm().equals(org.bouncycastle.asn1.x509.AlgorithmIdentifier.getInstance(
                sd.getDigestAlgorithms().getObjectAt(0)))) {
            return "the time-stamp token's digest algorithm list does not match its signer";
        }
        if (sd.getCRLs() != null || si.getUnauthenticatedAttributes() != null) {
            return "the time-stamp token carries unsigned extras";
        }
        if (sd.getCertificates() != null) {
            for (int i = 0; i < sd.getCertificates().size(); i++) {
                if (!Arrays.equals(sd.getCertificates().getObjectAt(i).toASN1Primitive().getEncoded(ASN1Encoding.DER),
                        tsa.getEncoded())) {
                    return "the time-stamp token embeds a certificate other than the ledger's TSA certificate";
                }
            }
        }
        return null;
    }
}
