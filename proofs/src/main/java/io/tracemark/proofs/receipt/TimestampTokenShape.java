package io.tracemark.proofs.receipt;

import java.io.IOException;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.cms.SignerInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * The parts of an RFC 3161 token (§2.4.2, a CMS SignedData ContentInfo, RFC 5652 §5) that its signature
 * does not cover: the outer content type, digest algorithm list, certificate bag, CRLs and unsigned
 * attributes. They are pinned to the only values a time-stamp over a checkpoint needs, and the token must
 * be DER, so that no byte of a receipt's token can change without the verdict changing.
 */
final class TimestampTokenShape {
    private TimestampTokenShape() {
    }

    /** What is wrong with the unsigned parts of {@code der} when {@code signer} signed it, or {@code null}. */
    static String problem(byte[] der, X509CertificateHolder signer) {
        try {
            ASN1Primitive parsed = ASN1Primitive.fromByteArray(der);
            if (!Arrays.equals(parsed.getEncoded(ASN1Encoding.DER), der)) {
                return "the token is not DER";
            }
            ContentInfo ci = ContentInfo.getInstance(parsed);
            if (!CMSObjectIdentifiers.signedData.equals(ci.getContentType())) {
                return "the token is not CMS SignedData";
            }
            SignedData sd = SignedData.getInstance(ci.getContent());
            if (!PKCSObjectIdentifiers.id_ct_TSTInfo.equals(sd.getEncapContentInfo().getContentType())
                    || !(sd.getEncapContentInfo().getContent() instanceof ASN1OctetString)) {
                return "the token does not encapsulate a TSTInfo octet string";
            }
            if (sd.getSignerInfos().size() != 1) {
                return "the token must have exactly one signer";
            }
            SignerInfo si = SignerInfo.getInstance(sd.getSignerInfos().getObjectAt(0));
            // Re-encoding the typed fields puts every tag where CMS says; a retagged field would differ.
            if (!Arrays.equals(sd.getEncoded(ASN1Encoding.DER), ci.getContent().toASN1Primitive().getEncoded(ASN1Encoding.DER))
                    || !Arrays.equals(si.getEncoded(ASN1Encoding.DER),
                            sd.getSignerInfos().getObjectAt(0).toASN1Primitive().getEncoded(ASN1Encoding.DER))) {
                return "the token has a field with the wrong tag";
            }
            int siVersion = si.getSID().isTagged() ? 3 : 1;
            if (sd.getVersion().intValueExact() != 3 || si.getVersion().intValueExact() != siVersion) {
                return "the token has unexpected CMS versions";
            }
            if (sd.getDigestAlgorithms().size() != 1
                    || !si.getDigestAlgorithm().equals(AlgorithmIdentifier.getInstance(sd.getDigestAlgorithms().getObjectAt(0)))) {
                return "the token's digest algorithm list does not match its signer";
            }
            if (sd.getCRLs() != null || si.getUnauthenticatedAttributes() != null) {
                return "the token carries unsigned extras";
            }
            if (sd.getCertificates() != null) {
                for (int i = 0; i < sd.getCertificates().size(); i++) {
                    if (!Arrays.equals(sd.getCertificates().getObjectAt(i).toASN1Primitive().getEncoded(ASN1Encoding.DER),
                            signer.getEncoded())) {
                        return "the token embeds a certificate other than its signer's";
                    }
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return "the token is not a CMS SignedData structure: " + e.getMessage();
        }
    }
}
