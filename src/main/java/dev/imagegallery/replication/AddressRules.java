package dev.imagegallery.replication;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which network addresses a source outside the admin's allowed prefixes may live at: public ones.
 * Loopback, link-local (cloud metadata at 169.254.169.254), private (RFC 1918, where clusters keep
 * their pod and service ranges), unique-local IPv6, carrier-grade NAT, unspecified and multicast
 * addresses are refused, IPv4 addresses inside IPv6 ones included, plus the admin's extra ranges
 * (image-gallery.sources.denied-cidrs). Pure.
 */
public final class AddressRules {
    private static final List<String> ALWAYS_DENIED = List.of("0.0.0.0/8", "100.64.0.0/10", "fc00::/7", "64:ff9b::/96");

    private final List<Cidr> denied = new ArrayList<>();

    public AddressRules(List<String> extraDeniedCidrs) {
        ALWAYS_DENIED.forEach(c -> denied.add(Cidr.parse(c)));
        extraDeniedCidrs.forEach(c -> denied.add(Cidr.parse(c)));
    }

    /** Whether a source outside the allowed prefixes may be read from this address. */
    public boolean isPublic(InetAddress address) {
        InetAddress effective = embeddedIpv4(address);
        if (effective.isLoopbackAddress()
                || effective.isLinkLocalAddress()
                || effective.isSiteLocalAddress()
                || effective.isAnyLocalAddress()
                || effective.isMulticastAddress()) {
            return false;
        }
        return denied.stream().noneMatch(cidr -> cidr.contains(effective))
                && denied.stream().noneMatch(cidr -> cidr.contains(address));
    }

    /** The IPv4 address an IPv4-mapped (::ffff:a.b.c.d) or IPv4-compatible (::a.b.c.d) IPv6 address carries, else the address. */
    private static InetAddress embeddedIpv4(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] bytes = v6.getAddress();
            boolean zeroPrefix = true;
            for (int i = 0; i < 10; i++) {
                zeroPrefix &= bytes[i] == 0;
            }
            boolean mapped = zeroPrefix && bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
            boolean compatible =
                    zeroPrefix && bytes[10] == 0 && bytes[11] == 0 && (bytes[12] | bytes[13] | bytes[14]) != 0;
            if (mapped || compatible) {
                try {
                    return InetAddress.getByAddress(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]});
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return address;
    }

    /** An address range in CIDR notation, for example 10.96.0.0/12 or fd00::/8. */
    record Cidr(byte[] network, int prefixLength) {
        static Cidr parse(String cidr) {
            String[] parts = cidr.strip().split("/");
            try {
                if (parts.length != 2 || !parts[0].matches("[0-9a-fA-F:.]+")) {
                    throw new IllegalArgumentException();
                }
                // A literal address: getByName does no lookup for it.
                byte[] network = InetAddress.getByName(parts[0]).getAddress();
                int length = Integer.parseInt(parts[1]);
                if (length < 0 || length > network.length * 8) {
                    throw new IllegalArgumentException();
                }
                return new Cidr(network, length);
            } catch (UnknownHostException | IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "not an address range in CIDR notation (such as 10.96.0.0/12): " + cidr);
            }
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length || (address instanceof Inet4Address) != (network.length == 4)) {
                return false;
            }
            int shift = bytes.length * 8 - prefixLength;
            return new BigInteger(1, bytes).shiftRight(shift).equals(new BigInteger(1, network).shiftRight(shift));
        }
    }
}
