package io.tracemark.chain.timestamp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

/** Issues RFC 3161 time-stamp responses (§2.4.2) over SHA-256 message imprints with Bouncy Castle TSP. */
public final class TokenIssuer {
    /** TSA policy under which tokens are issued: anyPolicy, since this TSA publishes no policy of its own. */
    static final ASN1ObjectIdentifier POLICY = new ASN1ObjectIdentifier("2.5.29.32.0");

    private final TimeStampResponseGenerator generator;
    private final SecureRandom random = new SecureRandom();

    /** An issuer signing with {@code identity} (ECDSA with SHA-256, certificate embedded in every token). */
    public TokenIssuer(TsaIdentity identity) {
        try {
            var signerInfo = new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(identity.privateKey()),
                            identity.certificate());
            TimeStampTokenGenerator tokens = new TimeStampTokenGenerator(signerInfo,
                    new JcaDigestCalculatorProviderBuilder().build().get(
                            new org.bouncycastle.asn1.x509.AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256)),
                    POLICY);
            tokens.addCertificates(new JcaCertStore(List.of(identity.certificate())));
            generator = new TimeStampResponseGenerator(tokens, TSPAlgorithms.ALLOWED);
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up the time-stamp token generator", e);
        }
    }

    /** Returns a DER TimeStampResp granting a token over {@code sha256} (32 bytes). */
    public synchronized byte[] issue(byte[] sha256) {
        TimeStampRequestGenerator reqGen = new TimeStampRequestGenerator();
        reqGen.setCertReq(true);
        TimeStampRequest req = reqGen.generate(TSPAlgorithms.SHA256, sha256, new BigInteger(63, random));
        try {
            TimeStampResponse resp = generator.generate(req, new BigInteger(127, random).add(BigInteger.ONE), new Date());
            return resp.getEncoded();
        } catch (Exception e) {
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw new IllegalStateException("time-stamp token generation failed", e);
        }
    }
}
