package io.tracemark.chain.timestamp.external;

import java.time.Duration;
import java.util.List;

/**
 * How the external RFC 3161 authorities are asked ({@code tracemark.chain.external-tsa.*}).
 *
 * @param authorities  entries {@code <name> <url> <certificate PEM file>}; none by default
 * @param timeout      bound on one request (connect and answer)
 * @param attempts     requests per checkpoint before it is left without that authority's token
 * @param retryBackoff wait before the second attempt, doubled before each further one
 * @param minInterval  least time between two requests to one authority; zero asks for every checkpoint
 */
public record ExternalTsaSettings(List<String> authorities, Duration timeout, int attempts, Duration retryBackoff,
                                  Duration minInterval) {
    /** Copies the list and checks the bounds. */
    public ExternalTsaSettings {
        authorities = List.copyOf(authorities);
        if (attempts < 1) {
            throw new IllegalArgumentException("tracemark.chain.external-tsa.attempts must be at least 1");
        }
        minInterval = minInterval == null ? Duration.ZERO : minInterval;
    }

    /** No external authority. */
    public static ExternalTsaSettings none() {
        return new ExternalTsaSettings(List.of(), Duration.ofSeconds(10), 3, Duration.ofSeconds(1), Duration.ZERO);
    }
}
