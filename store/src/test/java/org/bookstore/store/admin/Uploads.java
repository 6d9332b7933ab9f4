package org.bookstore.store.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The shop owner's browser sending multipart forms (a book with its cover) over real HTTP, with cookies and CSRF tokens. */
final class Uploads {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final String baseUrl;
    private final HttpClient client;
    private String lastPage = "";

    Uploads(String baseUrl, String email, String password) {
        this.baseUrl = baseUrl;
        this.client = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(10)).build();
        get("/login");
        send(HttpRequest.newBuilder(URI.create(baseUrl + "/login")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("email=" + URLEncoder.encode(email, StandardCharsets.UTF_8) + "&password="
                        + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf=" + csrf())));
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    /** A multipart form from the last page seen; {@code fields} are name, value pairs; the file goes as {@code cover}. */
    HttpResponse<String> post(String path, String fileName, String fileType, byte[] file, String... fields) {
        String boundary = "----bookstore" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + csrf() + "\r\n");
        for (int i = 0; i + 1 < fields.length; i += 2) {
            write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fields[i] + "\"\r\n\r\n" + fields[i + 1] + "\r\n");
        }
        if (file != null) {
            write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"cover\"; filename=\"" + fileName
                    + "\"\r\nContent-Type: " + fileType + "\r\n\r\n");
            body.writeBytes(file);
            write(body, "\r\n");
        }
        write(body, "--" + boundary + "--\r\n");
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    String lastPage() {
        return lastPage;
    }

    private String csrf() {
        Matcher token = CSRF.matcher(lastPage);
        if (!token.find()) {
            throw new AssertionError("The last page had no form with a CSRF token");
        }
        return token.group(1);
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(120)).header("Accept", "text/html").build(),
                    HttpResponse.BodyHandlers.ofString());
            lastPage = response.body();
            return response;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
