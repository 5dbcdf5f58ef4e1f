package io.tracemark.contracts.ledger;

import io.tracemark.contracts.ContractViolation;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LedgerKeysCodecTest {
    private static final String PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void roundTripsTheKeysOfALogWithAnExternalAuthority() {
        LedgerKeys k = new LedgerKeys("tracemark.dev/log", List.of("chain-node-1+0a1b2c3d+AQID", "chain-node-2+0e0f1011+BAUG"),
                PEM, List.of(new LedgerKeys.TimestampAuthority("independent", "http://tsa.example/", PEM)));
        assertEquals(k, LedgerKeysCodec.decode(LedgerKeysCodec.encode(k)));
    }

    @Test
    void readsKeysWithoutTsaCertificateOrAuthorities() {
        LedgerKeys k = LedgerKeysCodec.decode(utf8("{\"origin\":\"o\",\"verifierKeys\":[\"k+1+A\"],\"tsaCertificate\":null}"));
        assertNull(k.tsaCertificate());
        assertEquals(List.of(), k.timestampAuthorities());
        assertEquals(k, LedgerKeysCodec.decode(LedgerKeysCodec.encode(k)));
    }

    @Test
    void rejectsKeysThatCannotVerifyAnything() {
        assertEquals("ledger-keys.verifierKeys", assertThrows(ContractViolation.class,
                () -> LedgerKeysCodec.decode(utf8("{\"origin\":\"o\",\"verifierKeys\":[]}"))).code());
        assertEquals("ledger-keys.verifierKeys", assertThrows(ContractViolation.class,
                () -> LedgerKeysCodec.decode(utf8("{\"origin\":\"o\",\"verifierKeys\":[7]}"))).code());
        assertEquals("ledger-keys.origin", assertThrows(ContractViolation.class,
                () -> LedgerKeysCodec.decode(utf8("{\"verifierKeys\":[\"k+1+A\"]}"))).code());
        assertEquals("ledger-keys.timestampAuthorities", assertThrows(ContractViolation.class,
                () -> LedgerKeysCodec.decode(utf8("{\"origin\":\"o\",\"verifierKeys\":[\"k+1+A\"],"
                        + "\"timestampAuthorities\":[{\"name\":\"x\"}]}"))).code());
        assertEquals("ledger-keys.json", assertThrows(ContractViolation.class,
                () -> LedgerKeysCodec.decode(utf8("[\"not keys\""))).code());
    }
}
