package org.bookstore.store.support;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;

import jakarta.servlet.http.Cookie;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * One person using the store through MockMvc: keeps their cookies (session, guest cart) between requests, as a
 * browser would, so sessions, flash messages and carts behave as they do for a real buyer.
 */
public final class Visitor {

    private final MockMvc mvc;
    private final Map<String, Cookie> cookies = new LinkedHashMap<>();
    private String redirectedTo;

    public Visitor(MockMvc mvc) {
        this.mvc = mvc;
    }

    public MockHttpServletResponse get(String url) {
        return perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get(url));
    }

    /** A GET of an address already encoded as a browser sends it (percent-escapes are not escaped again). */
    public MockHttpServletResponse get(java.net.URI url) {
        return perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get(url));
    }

    /** A form post with a valid CSRF token; {@code fields} are name, value pairs. */
    public MockHttpServletResponse post(String url, String... fields) {
        return perform(form(url, fields).with(csrf()));
    }

    /**
     * Opens {@code page} and submits a form on it with the CSRF token the page carries, exactly as the browser
     * would: no token is made up for the test.
     */
    public MockHttpServletResponse postWithPageToken(String page, String url, String... fields) {
        java.util.regex.Matcher token = java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(body(get(page)));
        if (!token.find()) {
            throw new AssertionError(page + " has no form with a CSRF token");
        }
        return perform(form(url, fields).param("_csrf", token.group(1)));
    }

    /** A form post as a forged cross-site form would send it: no CSRF token. */
    public MockHttpServletResponse postWithoutCsrf(String url, String... fields) {
        return perform(form(url, fields));
    }

    /** Any other request (a HEAD, an OPTIONS, a PUT) with this visitor's cookies, redirects followed. */
    public MockHttpServletResponse send(MockHttpServletRequestBuilder request) {
        return perform(request);
    }

    /** Where the last request redirected the buyer first (path and query), or null if it did not. */
    public String redirectedTo() {
        return redirectedTo;
    }

    public MockHttpServletResponse register(String name, String email, String password) {
        return post("/register", "name", name, "email", email, "password", password);
    }

    public MockHttpServletResponse logIn(String email, String password) {
        return post("/login", "email", email, "password", password);
    }

    public MockHttpServletResponse logOut() {
        return post("/logout");
    }

    /** The response body as the browser would read it. */
    public static String body(MockHttpServletResponse response) {
        try {
            return response.getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean hasCookie(String name) {
        return cookies.containsKey(name);
    }

    private static MockHttpServletRequestBuilder form(String url, String... fields) {
        MockHttpServletRequestBuilder request = org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post(url);
        for (int i = 0; i + 1 < fields.length; i += 2) {
            request.param(fields[i], fields[i + 1]);
        }
        return request;
    }

    /** Performs the request and, like a browser, follows redirects to the page the buyer ends up on. */
    private MockHttpServletResponse perform(MockHttpServletRequestBuilder request) {
        redirectedTo = null;
        MockHttpServletResponse response = performOnce(request);
        for (int hops = 0; hops < 5 && response.getStatus() / 100 == 3 && response.getRedirectedUrl() != null; hops++) {
            String location = response.getRedirectedUrl().replaceFirst("^https?://[^/]+", "");
            redirectedTo = redirectedTo == null ? location : redirectedTo;
            response = performOnce(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get(location));
        }
        return response;
    }

    private MockHttpServletResponse performOnce(MockHttpServletRequestBuilder request) {
        if (!cookies.isEmpty()) {
            request.cookie(cookies.values().toArray(Cookie[]::new));
        }
        try {
            MvcResult result = mvc.perform(request).andReturn();
            MockHttpServletResponse response = result.getResponse();
            for (Cookie cookie : response.getCookies()) {
                if (cookie.getMaxAge() == 0) {
                    cookies.remove(cookie.getName());
                } else {
                    cookies.put(cookie.getName(), cookie);
                }
            }
            return response;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
