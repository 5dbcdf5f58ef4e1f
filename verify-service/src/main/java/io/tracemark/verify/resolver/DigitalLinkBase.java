package io.tracemark.verify.resolver;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * Refuses to start in production without {@code tracemark.verify.digital-link-base}: a printed QR code
 * must name the brand's public resolver domain, never whatever Host header a request happened to carry.
 * In dev and test the request's own base stands in.
 */
@ApplicationScoped
public class DigitalLinkBase {
    @ConfigProperty(name = "tracemark.verify.digital-link-base")
    Optional<String> base;

    /** The public base links are built under: the configured one, else this request's (dev and test). */
    public String of(UriInfo uri) {
        return base.filter(s -> !s.isBlank()).orElse(uri.getBaseUri().toString()).replaceAll("/+$", "");
    }

    void requireInProduction(@Observes StartupEvent started) {
        require(LaunchMode.current(), base);
    }

    /** Throws when a production launch has no base; dev and test may go without. */
    static void require(LaunchMode mode, Optional<String> base) {
        if (mode == LaunchMode.NORMAL && base.filter(b -> !b.isBlank()).isEmpty()) {
            throw new IllegalStateException("tracemark.verify.digital-link-base (env TRACEMARK_VERIFY_DIGITAL_LINK_BASE) "
                    + "must be set in production to the public base of Digital Links, e.g. https://id.example.com");
        }
    }
}
