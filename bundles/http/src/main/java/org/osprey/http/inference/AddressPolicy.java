package org.osprey.http.inference;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Which addresses {@code POST /url} may fetch from, decided on the addresses a host name resolves to.
 * Refused by default: loopback, link-local (169.254/16 with the cloud metadata address, fe80::/10),
 * the unspecified address, multicast, the AWS IPv6 metadata address and the gateway's own addresses;
 * private ranges, where cameras live, are allowed. Configured CIDRs add to the refused ones
 * ({@code deny}) or allow addresses the defaults refuse ({@code allow}, which wins).
 */
final class AddressPolicy {

    /** One CIDR block, IPv4 or IPv6. */
    record Cidr(byte[] network, int bits) {

        static Cidr parse(String text) {
            String t = text.strip();
            int slash = t.indexOf('/');
            String address = slash < 0 ? t : t.substring(0, slash);
            if (!address.matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException("not a CIDR (like 10.0.0.0/8 or fd00::/8): " + text);
            }
            try {
                InetAddress a = InetAddress.getByName(address); // a literal: no lookup
                int max = a.getAddress().length * 8;
                int bits = slash < 0 ? max : Integer.parseInt(t.substring(slash + 1));
                if (bits < 0 || bits > max) {
                    throw new IllegalArgumentException("a CIDR's prefix is 0 to " + max + ": " + text);
                }
                return new Cidr(a.getAddress(), bits);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("not a CIDR (like 10.0.0.0/8 or fd00::/8): " + text);
            }
        }

        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != network.length) {
                return false;
            }
            int shift = b.length * 8 - bits;
            return new BigInteger(1, b).shiftRight(shift).equals(new BigInteger(1, network).shiftRight(shift));
        }
    }

    private static final Cidr AWS_IPV6_METADATA = Cidr.parse("fd00:ec2::254/128");

    private final List<Cidr> allow;
    private final List<Cidr> deny;

    AddressPolicy(String[] allow, String[] deny) {
        this.allow = parse(allow);
        this.deny = parse(deny);
    }

    private static List<Cidr> parse(String[] cidrs) {
        List<Cidr> out = new ArrayList<>();
        for (String c : cidrs == null ? new String[0] : cidrs) {
            if (!c.isBlank()) {
                out.add(Cidr.parse(c));
            }
        }
        return List.copyOf(out);
    }

    /** Why the address is refused, or null when it may be fetched from. */
    String refusal(InetAddress a) {
        if (allow.stream().anyMatch(c -> c.contains(a))) {
            return null;
        }
        if (a.isLoopbackAddress()) {
            return "a loopback address";
        }
        if (a.isLinkLocalAddress() || AWS_IPV6_METADATA.contains(a)) {
            return "a link-local address (the cloud metadata service lives there)";
        }
        if (a.isAnyLocalAddress() || a.isMulticastAddress()) {
            return "not a host's address";
        }
        if (deny.stream().anyMatch(c -> c.contains(a))) {
            return "in a range this gateway is configured not to fetch from";
        }
        if (own().contains(a)) {
            return "this gateway's own address";
        }
        return null;
    }

    private static List<InetAddress> own() {
        try {
            List<InetAddress> all = new ArrayList<>();
            for (NetworkInterface i : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                all.addAll(Collections.list(i.getInetAddresses()));
            }
            return all;
        } catch (SocketException e) {
            return List.of();
        }
    }
}
