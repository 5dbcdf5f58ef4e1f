package io.tracemark.attest.webhooks;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.math.BigInteger;
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
 * The host is resolved and every address checked, so a public name pointing inward is refused too, and
 * delivery connects to the checked address ({@link #resolve}).
 * CIDRs in {@code tracemark.attest.webhooks.allowed-networks} are exempt (tests allow loopback).
 */
@ApplicationScoped
public class SsrfGuard {
    private record Cidr(byte[] network, int bits) {
        boolean contains(byte[] addr) {
            if (addr.length != network.length) {
                return false;
            }
            BigInteger mask = BigInteger.ONE.shiftLeft(addr.length * 8).subtract(BigInteger.ONE)
                    .shiftRight(bits).not();
            return new BigInteger(1, addr).and(mask).equals(new BigInteger(1, network).and(mask));
        }
    }

    private static final Logger LOG = Logger.getLogger(SsrfGuard.class);
    private final List<Cidr> allowed = new ArrayList<>();
    private final List<Cidr> blocked = new ArrayList<>();

    public SsrfGuard(@ConfigProperty(name = "tracemark.attest.webhooks.allowed-networks") Optional<List<String>> allowedNetworks) {
        allowedNetworks.orElse(List.of()).forEach(c -> allowed.add(parse(c)));
        if (!allowed.isEmpty()) {
            LOG.warnf("webhooks may target %s (tracemark.attest.webhooks.allowed-networks): meant for local testing; "
                    + "leave it empty in production", String.join(", ", allowedNetworks.get()));
        }
        for (String c : List.of("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
                "172.16.0.0/12", "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
                "::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8")) {
            blocked.add(parse(c));
        }
    }

    /**
     * The address a webhook to {@code url} connects to, or why it may not be called. The host is resolved
     * once and every address checked; the caller connects to the returned one ({@link PinnedHttp}), so a
     * name that resolves elsewhere a moment later (DNS rebinding) cannot redirect the request inward.
     * Resolves DNS, so call it off the event loop.
     */
    public Target resolve(URI url) {
        if (url.getScheme() == null || !(url.getScheme().equals("https") || url.getScheme().equals("http"))) {
            return Target.refused("only http and https URLs can receive webhooks");
        }
        if (url.getHost() == null || url.getUserInfo() != null) {
            return Target.refused("URL needs a host and must not carry credentials");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(url.getHost());
        } catch (UnknownHostException e) {
            return Target.refused("host " + url.getHost() + " does not resolve");
        }
        for (InetAddress a : addresses) {
            byte[] raw = mapped(a);
            if (allowed.stream().anyMatch(c -> c.contains(raw))) {
                continue;
            }
            if (blocked.stream().anyMatch(c -> c.contains(raw)) || a.isAnyLocalAddress() || a.isLoopbackAddress()
                    || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isMulticastAddress()) {
                return Target.refused("host " + url.getHost() + " resolves to the non-public address " + a.getHostAddress());
            }
        }
        return new Target(addresses[0], null);
    }

    /** Why the URL may not be called, or empty if it may. Resolves DNS, so call it off the event loop. */
    public Optional<String> refuse(URI url) {
        return Optional.ofNullable(resolve(url).refusal());
    }

    /** A checked address to connect to, or the reason there is none. */
    public record Target(InetAddress address, String refusal) {
        static Target refused(String why) {
            return new Target(null, why);
        }
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
