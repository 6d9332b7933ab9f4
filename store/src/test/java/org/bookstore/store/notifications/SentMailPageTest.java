package org.bookstore.store.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bookstore.store.support.Eventually.eventually;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * With no SMTP server configured (the README's run command) nothing leaves the machine: a newcomer who just paid
 * reads the receipt on the "Sent mail" page, from the store's own machine. Through a proxy, or from elsewhere, the
 * page does not exist.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class SentMailPageTest extends ShopScenarios {

    @Test
    void withNoSmtpServerTheReceiptIsKeptAndReadOnTheSentMailPage() {
        Shopper shopper = shopperWithCart();
        long order = pay(shopper);
        eventually("the receipt was kept", () -> mailStatus("receipt", order).equals("kept"));

        HttpResponse<String> list = shopper.browser().get("/sent-mail");

        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("No SMTP server is configured", "Your receipt for order #" + order + " ($71.00)",
                shopper.email(), "Kept here", "Welcome to Bookstore");
        Matcher link = Pattern.compile("href=\"(/sent-mail/\\d+)\">Your receipt for order #" + order + " ").matcher(list.body());
        assertThat(link.find()).isTrue();
        HttpResponse<String> message = shopper.browser().get(link.group(1));
        assertThat(message.body()).contains("Total: $71.00", "Payment reference: " + chargeId(order),
                "&lt;receipt.order-" + order + ".", "title=\"The mail as its recipient sees it\"", link.group(1) + "/html");

        HttpResponse<String> html = shopper.browser().get(link.group(1) + "/html");
        assertThat(html.body()).contains("Thank you for your order", chargeId(order), "style=\"");
        assertThat(html.headers().firstValue("Content-Security-Policy")).hasValue(SentMailFraming.POLICY);
        assertThat(html.headers().firstValue("X-Frame-Options")).hasValue("SAMEORIGIN");
        assertThat(shopper.browser().get("/").body()).as("the footer leads there").contains("data-testid=\"sent-mail-link\"");
    }

    @Test
    void throughAProxyTheSentMailPageDoesNotExist() throws Exception {
        Shopper shopper = shopperWithCart();
        long mail = jdbc.sql("SELECT MAX(id) FROM outgoing_mail").query(Long.class).optional().orElse(1L);
        HttpClient client = HttpClient.newHttpClient();

        for (String path : new String[] {"/sent-mail", "/sent-mail/" + mail, "/sent-mail/" + mail + "/html"}) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("X-Forwarded-For", "203.0.113.7").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.body()).as(path).doesNotContain(shopper.email());
        }
        HttpResponse<String> home = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/"))
                .header("X-Forwarded-For", "203.0.113.7").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(home.body()).doesNotContain("sent-mail-link");
    }
}
