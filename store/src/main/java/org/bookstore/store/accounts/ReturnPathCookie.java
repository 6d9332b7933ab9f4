package org.bookstore.store.accounts;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.springframework.http.ResponseCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.security.web.savedrequest.SimpleSavedRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.util.WebUtils;

/**
 * The page a visitor asked for before being sent to log in, kept in a short-lived cookie instead of a session. Spring
 * Security's default keeps it in the session, which made one for every request with no cookie to a page that needs an
 * account: a robot asking for {@code /orders} again and again wrote hundreds of week-long session rows a second.
 * <p>
 * Only the path and query of a {@code GET} for a page are kept, and only a path on this store is ever given back: whatever the
 * cookie holds (it comes from the browser), a value that is not a local path is ignored, so it cannot send a buyer to
 * another site after log-in.
 */
@Component
final class ReturnPathCookie implements RequestCache {

    static final String NAME = "RETURN_TO";
    /** Long enough to log in or register; a visitor who comes back another day starts from the homepage. */
    static final Duration LASTS = Duration.ofHours(1);
    /** Longer paths (a search of many kilobytes) are not worth a cookie of that size on every request. */
    private static final int LONGEST = 2048;

    /**
     * Kept only for a page a browser navigated to: a script's request (one asking for JSON or events, or marked as
     * XMLHttpRequest) is no page to come back to, as in Spring Security's own default.
     */
    @Override
    public void saveRequest(HttpServletRequest request, HttpServletResponse response) {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        boolean forAScript = "XMLHttpRequest".equals(request.getHeader("X-Requested-With")) || (accept != null
                && !accept.contains("text/html") && (accept.contains("application/json") || accept.contains("text/event-stream")));
        if (!"GET".equals(request.getMethod()) || forAScript) {
            return;
        }
        String path = pathOf(request);
        if (path.length() > LONGEST || !isLocal(path)) {
            return;
        }
        write(request, response, Base64.getUrlEncoder().withoutPadding().encodeToString(path.getBytes(StandardCharsets.UTF_8)),
                LASTS);
    }

    @Override
    public SavedRequest getRequest(HttpServletRequest request, HttpServletResponse response) {
        String path = read(request);
        return path == null ? null : new SimpleSavedRequest(path);
    }

    /** Arriving at the kept page ends the detour: the cookie is dropped, and the request goes on as it came. */
    @Override
    public HttpServletRequest getMatchingRequest(HttpServletRequest request, HttpServletResponse response) {
        String path = read(request);
        if (path != null && path.equals(pathOf(request))) {
            removeRequest(request, response);
        }
        return null;
    }

    @Override
    public void removeRequest(HttpServletRequest request, HttpServletResponse response) {
        if (WebUtils.getCookie(request, NAME) != null) {
            write(request, response, "", Duration.ZERO);
        }
    }

    private static String pathOf(HttpServletRequest request) {
        return request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
    }

    /** The kept path, or null if there is none or the cookie holds anything but a path on this store. */
    private static String read(HttpServletRequest request) {
        Cookie cookie = WebUtils.getCookie(request, NAME);
        if (cookie == null || cookie.getValue() == null || cookie.getValue().length() > LONGEST * 4 / 3 + 4) {
            return null;
        }
        try {
            String path = new String(Base64.getUrlDecoder().decode(cookie.getValue()), StandardCharsets.UTF_8);
            return isLocal(path) ? path : null;
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    /**
     * A path on this store: it starts with one slash, and neither a second slash nor a backslash (which browsers read
     * as a slash) follows it, so it cannot name another host. Only the characters a request line may carry as they
     * are (anything else arrives percent-encoded), so no control character, space, brace or non-ASCII letter can
     * reach the {@code Location} header or the redirect's URI template.
     */
    static boolean isLocal(String path) {
        if (path.isEmpty() || path.charAt(0) != '/' || (path.length() > 1 && (path.charAt(1) == '/' || path.charAt(1) == '\\'))) {
            return false;
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~:/?#[]@!$&'()*+,;=%".indexOf(c) >= 0;
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    private static void write(HttpServletRequest request, HttpServletResponse response, String value, Duration maxAge) {
        response.addHeader(HttpHeaders.SET_COOKIE, ResponseCookie.from(NAME, value)
                .path("/").maxAge(maxAge).httpOnly(true).secure(request.isSecure()).sameSite("Lax").build().toString());
    }
}
