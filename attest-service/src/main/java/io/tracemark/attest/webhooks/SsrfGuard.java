package io.tracemark.attest.webhooks;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Refuses webhook targets that would let a tenant make attest call into its own network: loopback,
 * private (RFC 1918, IPv6 ULA), link-local, carrier-grade NAT, unspecified and multicast addresses.
 * The host is resolved and every address checked, so a public name pointing inward is refused too.
 * CIDRs in {@code tracemark.attest.webhooks.allowed-networks} are exempt (tests allow loopback).
 */
@ApplicationScoped
public class SsrfGuard {
    /** A network prefix, compared bit by bit (no allocation per check: every delivery attempt checks its target). */
    private record Cidr(byte[] network, int bits) {
        boolean contains(byte[] addr) {
            if (addr.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (addr[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (addr[full] & mask) == (network[full] & mask);
        }
    }

    /** The outcome of checking a target: the address to connect to, or why none may be used. */
    public record Target(InetAddress address, String refusal) {
        /** Whether the target may be called (at {@link #address()}). */
        public boolean allowed() {
            return refusal == null;
        }
    }

    private final List<Cidr> allowed = new ArrayList<>();
    private final List<Cidr> blocked = new ArrayList<>();

    public SsrfGuard(@ConfigProperty(name = "tracemark.attest.webhooks.allowed-networks") Optional<List<String>> allowedNetworks) {
        allowedNetworks.orElse(List.of()).forEach(c -> allowed.add(parse(c)));
        for (String c : List.of("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
                "172.16.0.0/12", "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
                "::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8")) {
            blocked.add(parse(c));
        }
    }

    /** Why the URL may not be called, or empty if it may. Resolves DNS, so call it off the event loop. */
    public Optional<String> refuse(URI url) {
        return Optional.ofNullable(check(url).refusal());
    }

    /**
     * Resolves the URL's host once and checks every address it resolves to; the caller connects to the
     * returned address, never resolving the name again, so a DNS answer that changes between the check and
     * the connection (DNS rebinding) cannot point the request inward.
     */
    public Target check(URI url) {
        if (url.getScheme() == null || !(url.getScheme().equals("https") || url.getScheme().equals("http"))) {
            return new Target(null, "only http and https URLs can receive webhooks");
        }
        if (url.getHost() == null || url.getUserInfo() != null) {
            return new Target(null, "URL needs a host and must not carry credentials");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(url.getHost());
        } catch (UnknownHostException e) {
            return new Target(null, "host " + url.getHost() + " does not resolve");
        }
        for (InetAddress a : addresses) {
            byte[] raw = mapped(a);
            if (allowed.stream().anyMatch(c -> c.contains(raw))) {
                continue;
            }
            if (blocked.stream().anyMatch(c -> c.contains(raw)) || a.isAnyLocalAddress() || a.isLoopbackAddress()
                    || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isMulticastAddress()) {
                return new Target(null, "host " + url.getHost() + " resolves to the non-public address " + a.getHostAddress());
            }
        }
        return new Target(addresses[0], null);
    }

    /** IPv4-mapped IPv6 addresses are checked as the IPv4 address they carry. */
    private static byte[] mapped(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address && b.length == 16) {
            boolean v4mapped = true;
            for (int i = 0; i < 10; i++) {
                v4mapped &= b[i] == 0;
            }
            if (v4mapped && b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
                return new byte[] {b[12], b[13], b[14], b[15]};
            }
        }
        return b;
    }

    private static Cidr parse(String cidr) {
        String[] parts = cidr.strip().split("/");
        try {
            byte[] net = InetAddress.getByName(parts[0]).getAddress();
            int bits = parts.length > 1 ? Integer.parseInt(parts[1]) : net.length * 8;
            return new Cidr(net, bits);
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("not a CIDR: " + cidr, e);
        }
    }
}
