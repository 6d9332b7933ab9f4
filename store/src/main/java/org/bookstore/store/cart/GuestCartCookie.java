package org.bookstore.store.cart;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;

/** A guest's cart is found by a random token in this cookie; it is not tied to a server session. */
final class GuestCartCookie {

    static final String NAME = "bookstore_cart";
    /** How long the cookie, and with it the guest's way to their cart, lasts from when it is issued. */
    static final Duration LASTS = Duration.ofDays(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    private GuestCartCookie() {}

    static Optional<String> read(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (NAME.equals(cookie.getName()) && cookie.getValue() != null && cookie.getValue().matches("[0-9a-f]{32}")) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }

    static String issue(HttpServletResponse response) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        write(response, token, LASTS);
        return token;
    }

    static void clear(HttpServletResponse response) {
        write(response, "", Duration.ZERO);
    }

    private static void write(HttpServletResponse response, String value, Duration maxAge) {
        ResponseCookie cookie = ResponseCookie.from(NAME, value).path("/").httpOnly(true).sameSite("Lax").maxAge(maxAge).build();
        response.addHeader(HttpHeaders.SET_COOKIE, cookie.toString());
    }
}
