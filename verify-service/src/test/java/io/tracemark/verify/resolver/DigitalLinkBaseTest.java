package io.tracemark.verify.resolver;

import io.quarkus.runtime.LaunchMode;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DigitalLinkBaseTest {
    @Test
    void productionWithoutAPublicBaseRefusesToStartNamingTheKey() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DigitalLinkBase.require(LaunchMode.NORMAL, Optional.of(" ")));
        assertTrue(e.getMessage().startsWith("tracemark.verify.digital-link-base"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> DigitalLinkBase.require(LaunchMode.NORMAL, Optional.empty()));
    }

    @Test
    void productionWithABaseAndDevWithoutOneStart() {
        assertDoesNotThrow(() -> DigitalLinkBase.require(LaunchMode.NORMAL, Optional.of("https://id.example.com")));
        assertDoesNotThrow(() -> DigitalLinkBase.require(LaunchMode.DEVELOPMENT, Optional.empty()));
    }
}
