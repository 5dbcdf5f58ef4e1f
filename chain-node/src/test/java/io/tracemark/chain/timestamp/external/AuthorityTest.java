package io.tracemark.chain.timestamp.external;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tracemark.chain.timestamp.TsaIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthorityTest {
    @TempDir
    Path dir;

    private Path certificate() throws Exception {
        Path pem = dir.resolve("tsa.pem");
        Files.writeString(pem, TsaIdentity.loadOrCreate(dir.resolve("id"), "test").certificatePem());
        return pem;
    }

    @Test
    void readsNameUrlAndCertificateFile() throws Exception {
        Authority a = Authority.parse(" freetsa  https://freetsa.org/tsr " + certificate() + " ");
        assertEquals("freetsa", a.name());
        assertEquals("https://freetsa.org/tsr", a.url().toString());
        assertEquals("CN=Tracemark TSA test,O=Tracemark", a.certificate().getSubject().toString());
    }

    @Test
    void refusesEntriesThatCannotBeUsedNamingThem() throws Exception {
        Path cert = certificate();
        assertEquals("external TSA 'freetsa https://freetsa.org/tsr' must be '<name> <url> <certificate PEM file>'",
                assertThrows(IllegalArgumentException.class, () -> Authority.parse("freetsa https://freetsa.org/tsr"))
                        .getMessage());
        assertEquals("external TSA name 'free/tsa' must be 1-64 of A-Z a-z 0-9 . _ -", assertThrows(
                IllegalArgumentException.class, () -> Authority.parse("free/tsa https://x.test/tsr " + cert)).getMessage());
        assertEquals("external TSA 'x': URL must be http or https: ftp://x.test/tsr", assertThrows(
                IllegalArgumentException.class, () -> Authority.parse("x ftp://x.test/tsr " + cert)).getMessage());
        assertEquals("external TSA 'x': cannot read certificate " + dir.resolve("none.pem"), assertThrows(
                IllegalArgumentException.class, () -> Authority.parse("x https://x.test/tsr " + dir.resolve("none.pem")))
                .getMessage());
        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");
        assertThrows(IllegalArgumentException.class, () -> Authority.parse("x https://x.test/tsr " + notPem));
    }

    @Test
    void twoAuthoritiesUnderOneNameAreRefused() throws Exception {
        Path cert = certificate();
        var settings = new ExternalTsaSettings(List.of("a http://127.0.0.1:9/tsr " + cert, "a http://127.0.0.1:9/x " + cert),
                Duration.ofSeconds(1), 1, Duration.ZERO, Duration.ZERO);
        assertEquals("external TSA names must be distinct: " + settings.authorities(), assertThrows(
                IllegalArgumentException.class, () -> ExternalTimestamps.open(dir.resolve("ext"), settings)).getMessage());
    }
}
