package org.bookstore.emulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** A request's body, never read into memory beyond {@link #MAX_BYTES}. */
final class RequestBody {
    /** The largest body accepted: Stripe's largest requests (100 line items with their products) are far smaller. */
    static final int MAX_BYTES = 1 << 20;
    /**
     * A larger body is still read and dropped up to this, so that its client, which writes the whole body before it
     * reads, gets the 413 instead of a reset connection. Beyond it the connection is closed after the answer.
     */
    static final long MAX_DROPPED = 64L << 20;

    private RequestBody() {}

    /** The body as text, or Stripe's 413 error for one over {@link #MAX_BYTES}. */
    static String read(HttpExchange ex) throws IOException {
        long declared = declaredLength(ex);
        try (InputStream in = ex.getRequestBody()) {
            if (declared > MAX_BYTES) {
                if (declared <= MAX_DROPPED) {
                    drop(in);
                }
                throw tooLarge();
            }
            byte[] body = in.readNBytes(MAX_BYTES + 1);
            if (body.length > MAX_BYTES) {
                drop(in);
                throw tooLarge();
            }
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static long declaredLength(HttpExchange ex) {
        String v = ex.getRequestHeaders().getFirst("Content-Length");
        try {
            return v == null ? -1 : Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void drop(InputStream in) throws IOException {
        byte[] buf = new byte[16 * 1024];
        long total = 0;
        int n;
        while (total <= MAX_DROPPED && (n = in.read(buf)) >= 0) {
            total += n;
        }
    }

    private static StripeError tooLarge() {
        return new StripeError(413, "invalid_request_error", null, null, "The request body is too large: requests "
                + "can be at most " + MAX_BYTES + " bytes (1 MB).", null).header("Connection", "close");
    }
}
