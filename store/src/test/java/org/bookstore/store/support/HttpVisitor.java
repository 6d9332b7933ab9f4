package org.bookstore.store.support;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A buyer talking to a running store over real HTTP, with a cookie jar, following redirects; form posts carry
 * the CSRF token from the last page seen, as a browser submitting that page's form would.
 */
public final class HttpVisitor {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final String baseUrl;
    private final HttpClient client;
    private final HttpClient noRedirects;
    private final CookieManager cookies;
    private String lastPage = "";
    private boolean freshConnections;
    private HttpResponse<String> lastResponse;

    /** The same buyer (same cookies, same last page) talking to another instance of the store. */
    public HttpVisitor on(String otherBaseUrl) {
        HttpVisitor other = new HttpVisitor(otherBaseUrl, cookies);
        other.lastPage = lastPage;
        return other;
    }

    public HttpVisitor(String baseUrl) {
        this(baseUrl, new CookieManager());
    }

    private HttpVisitor(String baseUrl, CookieManager cookies) {
        this.baseUrl = baseUrl;
        this.cookies = cookies;
        // HTTP/1.1 as a browser speaks it to a plain-http shop: no h2c upgrade dance on every new connection.
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(10)).build();
        this.noRedirects = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** A GET of a full URL (another site, such as the hosted payment page), following redirects. */
    public HttpResponse<String> getUrl(String url) {
        return send(client, HttpRequest.newBuilder(URI.create(url)).GET());
    }

    /**
     * Submits a form to a full URL (such as the hosted payment page's). With {@code follow} false the response is
     * the redirect itself: the buyer closed the tab before coming back to the shop.
     */
    public HttpResponse<String> submitTo(String url, boolean follow, String... fields) {
        return send(follow ? client : noRedirects, formRequest(URI.create(url), fields));
    }

    /** A form post from the last page seen, without following the redirect it answers with. */
    public HttpResponse<String> postWithoutFollowing(String path, String... fields) {
        return send(noRedirects, formRequest(URI.create(baseUrl + path), withToken(fields)));
    }

    /** A form post with the CSRF token of {@code page}, not following the redirect: a script posting again and again. */
    public HttpResponse<String> postFromWithoutFollowing(String page, String path, String... fields) {
        lastPage = page;
        return postWithoutFollowing(path, fields);
    }

    public HttpResponse<String> get(String path) {
        return send(client, HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    /** Submits a form on the last page seen (with its CSRF token); fields are name, value pairs. */
    public HttpResponse<String> post(String path, String... fields) {
        return postRaw(path, withToken(fields));
    }

    /** A form post with the CSRF token of {@code page}, as that page's own script would send it. */
    public HttpResponse<String> postFrom(String page, String path, String... fields) {
        lastPage = page;
        return post(path, fields);
    }

    /**
     * Every request on a new connection (as a long test's buyers do): a connection kept idle across a busy machine's
     * pauses can be closed by either end just as it is reused, which a browser would quietly retry.
     */
    public HttpVisitor withFreshConnections() {
        this.freshConnections = true;
        return this;
    }

    /** The value of the cookie {@code name} this visitor's browser holds, or null. */
    public String cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(cookie -> cookie.getName().equals(name))
                .map(java.net.HttpCookie::getValue).findFirst().orElse(null);
    }

    /** Another browser that holds only the cookie {@code name} with {@code value}, as one copied by an attacker. */
    public static HttpVisitor withCookie(String baseUrl, String name, String value) {
        HttpVisitor visitor = new HttpVisitor(baseUrl);
        java.net.HttpCookie cookie = new java.net.HttpCookie(name, value);
        cookie.setPath("/");
        cookie.setVersion(0);
        visitor.cookies.getCookieStore().add(URI.create(baseUrl), cookie);
        return visitor;
    }

    public String lastPage() {
        return lastPage;
    }

    private String[] withToken(String... fields) {
        Matcher token = CSRF.matcher(lastPage);
        if (!token.find()) {
            throw new AssertionError("The last page had no form with a CSRF token");
        }
        String[] withToken = new String[fields.length + 2];
        System.arraycopy(fields, 0, withToken, 0, fields.length);
        withToken[fields.length] = "_csrf";
        withToken[fields.length + 1] = token.group(1);
        return withToken;
    }

    /** A form post exactly as given: a forged form from another site has no CSRF token. */
    public HttpResponse<String> postRaw(String path, String... fields) {
        return send(client, formRequest(URI.create(baseUrl + path), fields));
    }

    private static HttpRequest.Builder formRequest(URI uri, String... fields) {
        StringJoiner form = new StringJoiner("&");
        for (int i = 0; i + 1 < fields.length; i += 2) {
            form.add(URLEncoder.encode(fields[i], StandardCharsets.UTF_8) + "=" + URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
        }
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString()));
    }

    public HttpResponse<String> register(String name, String email, String password) {
        get("/register");
        return post("/register", "name", name, "email", email, "password", password);
    }

    public HttpResponse<String> logIn(String email, String password) {
        get("/login");
        return post("/login", "email", email, "password", password);
    }

    private HttpResponse<String> send(HttpClient via, HttpRequest.Builder request) {
        try {
            if (freshConnections) {
                request.header("Connection", "close");
            }
            HttpResponse<String> response = via.send(request.timeout(Duration.ofSeconds(60))
                            .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8").build(),
                    HttpResponse.BodyHandlers.ofString());
            lastPage = response.body();
            lastResponse = response;
            return response;
        } catch (IOException e) {
            throw new IllegalStateException("after " + (lastResponse == null ? "nothing" : lastResponse.request().method() + " "
                    + lastResponse.uri() + " " + lastResponse.statusCode() + " " + lastResponse.headers().map()) + " at " + java.time.Instant.now(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
