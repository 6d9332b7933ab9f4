package org.bookstore.store.payments.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a {@code Stripe-Signature} header against the raw bytes of a webhook's body, as Stripe's SDK checks it
 * ({@code Webhook.Signature.verifyHeader}) and with the same verdict for every header, but without copying the body.
 * The SDK takes the body as a string and, per delivery, formats {@code "<t>.<body>"} into a new string, encodes it to
 * bytes and builds the hex digest by concatenation: four or five copies of every body, a quarter of what the store
 * allocated while answering a burst of deliveries. Here the body's bytes go straight into the HMAC, after the
 * timestamp and a dot, which is exactly the message Stripe signs.
 *
 * <p>The header is read as the SDK reads it: comma-separated {@code key=value} items; the first {@code t} is the
 * timestamp (a number above zero); every {@code v1} is a candidate signature, in lowercase hex; anything else is
 * ignored. An item {@code t} or {@code v1} without a value, or a first {@code t} that is not a number, makes the header
 * invalid, as the SDK's exceptions do. A timestamp older than the tolerance is refused; a later one is not (as the SDK).
 * Candidates are compared in constant time.
 */
final class WebhookSignature {

    private static final String SCHEME = "v1";
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /** One HMAC per thread, keyed with the last secret it was used with (the secret rarely changes). */
    private static final ThreadLocal<Keyed> MACS = new ThreadLocal<>();

    private WebhookSignature() {
    }

    /** Why a header was refused, for the log; {@code null} when the signature is valid. */
    static String refusal(byte[] body, String header, String secret, long toleranceSeconds, long nowEpochSecond) {
        if (header == null) {
            return "no Stripe-Signature header";
        }
        long timestamp = -1;
        boolean anySignature = false;
        int start = 0;
        while (start <= header.length()) {
            int end = header.indexOf(',', start);
            if (end < 0) {
                end = header.length();
            }
            int equals = header.indexOf('=', start);
            boolean hasValue = equals >= 0 && equals < end;
            int keyEnd = hasValue ? equals : end;
            if (timestamp < 0 && header.startsWith("t", start) && keyEnd == start + 1) {
                if (!hasValue) {
                    return "a timestamp without a value";
                }
                try {
                    timestamp = Long.parseLong(header, equals + 1, end, 10);
                } catch (NumberFormatException notANumber) {
                    return "a timestamp that is not a number";
                }
                if (timestamp < 0) {
                    // Refused below, as the SDK does; 0 also marks the first t as read, so a later one is not.
                    timestamp = 0;
                }
            } else if (header.startsWith(SCHEME, start) && keyEnd == start + SCHEME.length()) {
                if (!hasValue) {
                    return "a signature without a value";
                }
                anySignature = true;
            }
            start = end + 1;
        }
        if (timestamp <= 0) {
            return "no timestamp in the header";
        }
        if (!anySignature) {
            return "no signature with the expected scheme";
        }
        char[] expected = hex(mac(secret, timestamp, body));
        boolean found = false;
        start = 0;
        while (start <= header.length()) {
            int end = header.indexOf(',', start);
            if (end < 0) {
                end = header.length();
            }
            if (header.startsWith(SCHEME + "=", start)) {
                // Every candidate is compared in full, whatever the others gave.
                found |= constantTimeEquals(expected, header, start + SCHEME.length() + 1, end);
            }
            start = end + 1;
        }
        if (!found) {
            return "no signature matches the body";
        }
        if (toleranceSeconds > 0 && timestamp < nowEpochSecond - toleranceSeconds) {
            return "the timestamp is outside the tolerance";
        }
        return null;
    }

    private static byte[] mac(String secret, long timestamp, byte[] body) {
        Keyed keyed = MACS.get();
        try {
            if (keyed == null || !keyed.secret.equals(secret)) {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                keyed = new Keyed(secret, mac);
                MACS.set(keyed);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
        Mac mac = keyed.mac;
        mac.update(Long.toString(timestamp).getBytes(StandardCharsets.US_ASCII));
        mac.update((byte) '.');
        mac.update(body);
        return mac.doFinal();
    }

    private static char[] hex(byte[] digest) {
        char[] hex = new char[digest.length * 2];
        for (int i = 0; i < digest.length; i++) {
            hex[2 * i] = HEX[(digest[i] >> 4) & 0xf];
            hex[2 * i + 1] = HEX[digest[i] & 0xf];
        }
        return hex;
    }

    /** Whether header[from, to) is exactly the expected hex, in time that depends on the lengths only. */
    private static boolean constantTimeEquals(char[] expected, String header, int from, int to) {
        if (to - from != expected.length) {
            return false;
        }
        int difference = 0;
        for (int i = 0; i < expected.length; i++) {
            difference |= expected[i] ^ header.charAt(from + i);
        }
        return difference == 0;
    }

    private record Keyed(String secret, Mac mac) {
    }
}
