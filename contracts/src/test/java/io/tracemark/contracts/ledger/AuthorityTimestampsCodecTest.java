package io.tracemark.contracts.ledger;

import io.tracemark.contracts.ContractViolation;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AuthorityTimestampsCodecTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void roundTripsTokensPendingAndMissingAuthorities() {
        AuthorityTimestamps a = new AuthorityTimestamps(42, List.of(new AuthorityTimestamps.Token("freetsa", "MIIB")),
                List.of("digicert"), List.of("sectigo"));
        assertEquals("{\"treeSize\":42,\"tokens\":[{\"name\":\"freetsa\",\"token\":\"MIIB\"}],\"pending\":[\"digicert\"],"
                + "\"missing\":[\"sectigo\"]}", new String(AuthorityTimestampsCodec.encode(a), StandardCharsets.UTF_8));
        assertEquals(a, AuthorityTimestampsCodec.decode(AuthorityTimestampsCodec.encode(a)));
    }

    @Test
    void readsAnAnswerWithoutListsAsNoAuthorities() {
        assertEquals(new AuthorityTimestamps(3, List.of(), List.of(), List.of()),
                AuthorityTimestampsCodec.decode(utf8("{\"treeSize\":3}")));
    }

    @Test
    void rejectsAnswersThatAreNotAuthorityTimestamps() {
        assertEquals("authority-timestamps.treeSize", assertThrows(ContractViolation.class,
                () -> AuthorityTimestampsCodec.decode(utf8("{\"treeSize\":\"3\"}"))).code());
        assertEquals("authority-timestamps.tokens.name", assertThrows(ContractViolation.class,
                () -> AuthorityTimestampsCodec.decode(utf8("{\"treeSize\":3,\"tokens\":[{\"token\":\"MIIB\"}]}"))).code());
        assertEquals("authority-timestamps.tokens.token", assertThrows(ContractViolation.class,
                () -> AuthorityTimestampsCodec.decode(utf8("{\"treeSize\":3,\"tokens\":[{\"name\":\"x\",\"token\":\"*\"}]}"))).code());
        assertEquals("authority-timestamps.missing", assertThrows(ContractViolation.class,
                () -> AuthorityTimestampsCodec.decode(utf8("{\"treeSize\":3,\"missing\":\"x\"}"))).code());
        assertEquals("authority-timestamps.json", assertThrows(ContractViolation.class,
                () -> AuthorityTimestampsCodec.decode(utf8("{\"treeSize\":3} x"))).code());
    }
}
