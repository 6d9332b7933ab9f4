package org.bookstore.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.FrameLocator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import com.stripe.model.Charge;
import com.stripe.model.PaymentIntent;
import com.stripe.model.PaymentMethod;
import com.stripe.param.PaymentIntentConfirmParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.PaymentIntentUpdateParams;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stand-in Stripe.js in Chromium, on a merchant page served from another origin under a strict
 * Content-Security-Policy (only 'self' and the emulator in script-src, frame-src and connect-src). The merchant's
 * server creates PaymentIntents with stripe-java and hands the client secret to the page.
 */
class StripeJsBrowserTest extends EmulatorTestBase {
    static final String FRAME = "iframe[title='Secure payment input frame']";
    static final String AUTH_FRAME = "iframe[title='3D Secure authentication']";

    static Playwright playwright;
    static Browser browser;
    static HttpServer shop;
    static String shopOrigin;

    BrowserContext context;
    Page page;

    @BeforeAll
    static void startBrowserAndShop() throws IOException {
        BrowserSupport.requireChromium();
        shop = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        shop.createContext("/", StripeJsBrowserTest::serveShop);
        shop.start();
        shopOrigin = "http://127.0.0.1:" + shop.getAddress().getPort();
        playwright = Playwright.create();
        browser = BrowserSupport.launch(playwright);
    }

    @AfterAll
    static void stopBrowserAndShop() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        if (shop != null) {
            shop.stop(0);
        }
    }

    @BeforeEach
    void openPage() {
        context = browser.newContext();
        page = context.newPage();
    }

    @AfterEach
    void closePage() {
        context.close();
    }

    // ------------------------------------------------------------------ the merchant's site

    static PaymentIntent createIntent(long amount) {
        try {
            return stripe.v1().paymentIntents().create(PaymentIntentCreateParams.builder().setAmount(amount)
                    .setCurrency("usd").putMetadata("order_id", "order-" + amount)
                    .setAutomaticPaymentMethods(PaymentIntentCreateParams.AutomaticPaymentMethods.builder()
                            .setEnabled(true).build()).build());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static PaymentIntent confirmOnServer(PaymentIntent pi, String paymentMethod) {
        try {
            return stripe.v1().paymentIntents().confirm(pi.getId(), PaymentIntentConfirmParams.builder()
                    .setPaymentMethod(paymentMethod).setReturnUrl(shopOrigin + "/return").build());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void serveShop(HttpExchange ex) throws IOException {
        try (ex) {
            URI uri = ex.getRequestURI();
            Map<String, String> q = Pages.form(uri.getRawQuery());
            String path = uri.getPath();
            String emu = emulator.baseUrl();
            ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; script-src 'self' " + emu
                    + "; frame-src " + emu + "; connect-src 'self' " + emu + "; style-src 'self'; img-src 'self'; "
                    + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
            switch (path) {
                case "/pay" -> {
                    String flow = q.getOrDefault("flow", "payment");
                    long amount = Long.parseLong(q.getOrDefault("amount", "1999"));
                    String secret = "";
                    String intent = "";
                    if (!flow.equals("deferred") && !flow.equals("token")) {
                        PaymentIntent pi = createIntent(amount);
                        if (flow.equals("next-action")) {
                            // confirmed on the server; the page only handles the authentication
                            pi = confirmOnServer(pi, "pm_card_threeDSecure2Required");
                        }
                        secret = pi.getClientSecret();
                        intent = pi.getId();
                    }
                    send(ex, 200, "text/html", "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                            + "<title>Bookstore checkout</title></head><body data-pk=\"" + emulator.publishableKey()
                            + "\" data-secret=\"" + secret + "\" data-intent=\"" + intent + "\" data-flow=\"" + flow
                            + "\" data-amount=\"" + amount + "\" data-return-url=\"" + shopOrigin + "/return\">"
                            + "<h1>Pay for your books</h1><form id=\"payment-form\"><div id=\"element\"></div>"
                            + "<button type=\"button\" id=\"pay\">Pay</button>"
                            + "<button type=\"button\" id=\"check\">Check</button></form>"
                            + "<pre id=\"result\"></pre><pre id=\"change\"></pre><div id=\"events\"></div>"
                            + "<pre id=\"csp\"></pre>"
                            + "<script src=\"" + emu + "/v3/\"></script><script src=\"/app.js\"></script>"
                            + "</body></html>");
                }
                case "/app.js" -> {
                    try (InputStream in = StripeJsBrowserTest.class.getResourceAsStream("shop/app.js")) {
                        send(ex, 200, "application/javascript", new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
                case "/intent" -> {
                    PaymentIntent pi = createIntent(Long.parseLong(q.get("amount")));
                    send(ex, 200, "application/json", "{\"clientSecret\":\"" + pi.getClientSecret() + "\"}");
                }
                case "/charge" -> {
                    String body;
                    try {
                        com.stripe.model.Charge ch = stripe.v1().charges().create(com.stripe.param.ChargeCreateParams
                                .builder().setAmount(1999L).setCurrency("usd").setSource(q.get("token")).build());
                        body = "{\"charge\":{\"id\":\"" + ch.getId() + "\",\"status\":\"" + ch.getStatus()
                                + "\"}}";
                    } catch (com.stripe.exception.CardException e) {
                        body = "{\"error\":{\"type\":\"card_error\",\"code\":\"" + e.getCode()
                                + "\",\"decline_code\":\"" + e.getDeclineCode() + "\",\"message\":\""
                                + e.getStripeError().getMessage() + "\"}}";
                    } catch (com.stripe.exception.StripeException e) {
                        throw new IOException(e);
                    }
                    send(ex, 200, "application/json", body);
                }
                case "/return" -> send(ex, 200, "text/html", "<!DOCTYPE html><title>Thanks</title><h1>Thanks</h1>");
                default -> send(ex, 404, "text/plain", "not found");
            }
        }
    }

    static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Opens the checkout page and waits for the element's ready event. */
    void open(String query) {
        page.navigate(shopOrigin + "/pay?" + query);
        page.locator("#events:has-text('ready')").waitFor();
    }

    FrameLocator card() {
        return page.frameLocator(FRAME);
    }

    void fillCard(String number) {
        card().getByLabel("Card number").fill(number);
        card().getByLabel("Expiry").fill("12 / 34");
        card().getByLabel("CVC").fill("123");
    }

    JsonNode click(String button) {
        page.locator("#" + button).click();
        return Json.read(page.locator("#result[data-done]").textContent());
    }

    String intentOnPage() {
        return page.locator("body").getAttribute("data-intent");
    }

    void assertNoCspViolation() {
        assertThat(page.locator("#csp").textContent()).isEmpty();
    }

    // ------------------------------------------------------------------ tests

    @Test
    void aPageOnAnotherOriginCannotReadTheApiWithASecretKey() {
        page.navigate(shopOrigin + "/return");
        Object result = page.evaluate("async ([url, key]) => {"
                + " try { const r = await fetch(url, {headers: {Authorization: 'Bearer ' + key}});"
                + " return 'read ' + r.status; } catch (e) { return 'blocked: ' + e.name; } }",
                java.util.List.of(emulator.baseUrl() + "/v1/customers", "sk_test_123"));
        assertThat(result).isEqualTo("blocked: TypeError");
    }

    @Test
    void paymentElementPaysWithVisa() throws Exception {
        open("flow=payment");
        assertThat(card().getByLabel("Expiry").getAttribute("placeholder")).isEqualTo("MM / YY");
        fillCard("4242 4242 4242 4242");
        // The element reports each change from its frame by message, so wait for the one after the last field.
        com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(page.locator("#change")).containsText("\"complete\":true");
        JsonNode change = Json.read(page.locator("#change").textContent());
        assertThat(change.path("complete").asBoolean()).isTrue();
        assertThat(change.path("empty").asBoolean()).isFalse();
        assertThat(change.path("value").path("type").asText()).isEqualTo("card");

        JsonNode r = click("pay");
        assertThat(r.has("error")).as(r.toString()).isFalse();
        assertThat(r.path("paymentIntent").path("status").asText()).isEqualTo("succeeded");
        assertThat(r.path("paymentIntent").path("id").asText()).isEqualTo(intentOnPage());

        PaymentIntent pi = stripe.v1().paymentIntents().retrieve(intentOnPage());
        assertThat(pi.getStatus()).isEqualTo("succeeded");
        assertThat(pi.getLatestCharge()).startsWith("ch_");
        PaymentMethod pm = stripe.v1().paymentMethods().retrieve(pi.getPaymentMethod());
        assertThat(pm.getCard().getLast4()).isEqualTo("4242");
        assertThat(pm.getBillingDetails().getName()).isEqualTo("Ann Reader");
        // the card number stayed in the emulator's frame
        assertThat(page.content()).doesNotContain("4242 4242");
        assertNoCspViolation();
    }

    @Test
    void declineThenVisaOnTheSameElement() throws Exception {
        open("flow=payment");
        fillCard("4000 0000 0000 0002");
        JsonNode r = click("pay");
        JsonNode e = r.path("error");
        assertThat(e.path("type").asText()).isEqualTo("card_error");
        assertThat(e.path("code").asText()).isEqualTo("card_declined");
        assertThat(e.path("decline_code").asText()).isEqualTo("generic_decline");
        assertThat(e.path("message").asText()).isEqualTo("Your card was declined.");
        assertThat(e.path("payment_intent").asText()).isEqualTo(intentOnPage());
        assertThat(e.path("payment_intent_status").asText()).isEqualTo("requires_payment_method");

        fillCard("4242 4242 4242 4242");
        r = click("pay");
        assertThat(r.path("paymentIntent").path("status").asText()).as(r.toString()).isEqualTo("succeeded");
        assertThat(stripe.v1().paymentIntents().retrieve(intentOnPage()).getStatus()).isEqualTo("succeeded");
        assertNoCspViolation();
    }

    @Test
    void threeDSecureInTheModal() throws Exception {
        open("flow=payment");
        fillCard("4000 0025 0000 3155");
        page.locator("#pay").click();
        page.frameLocator(AUTH_FRAME).getByRole(AriaRole.BUTTON, new FrameLocator.GetByRoleOptions()
                .setName("Complete")).waitFor();
        // Stripe.js confirms with use_stripe_sdk=true and handles Stripe's use_stripe_sdk action itself
        assertThat(stripe.v1().paymentIntents().retrieve(intentOnPage()).getNextAction().getType())
                .isEqualTo("use_stripe_sdk");
        page.frameLocator(AUTH_FRAME).getByRole(AriaRole.BUTTON, new FrameLocator.GetByRoleOptions()
                .setName("Complete")).click();
        JsonNode r = Json.read(page.locator("#result[data-done]").textContent());
        assertThat(r.path("paymentIntent").path("status").asText()).as(r.toString()).isEqualTo("succeeded");
        assertThat(page.locator(AUTH_FRAME).count()).isZero();
        assertThat(stripe.v1().paymentIntents().retrieve(intentOnPage()).getLatestCharge()).startsWith("ch_");
        assertNoCspViolation();
    }

    @Test
    void failedThreeDSecureGivesTheAuthenticationError() throws Exception {
        open("flow=payment");
        fillCard("4000 0000 0000 3220");
        page.locator("#pay").click();
        page.frameLocator(AUTH_FRAME).getByRole(AriaRole.BUTTON, new FrameLocator.GetByRoleOptions()
                .setName("Fail")).click();
        JsonNode e = Json.read(page.locator("#result[data-done]").textContent()).path("error");
        assertThat(e.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(e.path("code").asText()).isEqualTo("payment_intent_authentication_failure");
        assertThat(e.path("message").asText()).isEqualTo("We are unable to authenticate your payment method. "
                + "Please choose a different payment method and try again.");
        assertThat(e.path("payment_intent_status").asText()).isEqualTo("requires_payment_method");
        assertThat(stripe.v1().paymentIntents().retrieve(intentOnPage()).getStatus())
                .isEqualTo("requires_payment_method");
        assertThat(page.locator(AUTH_FRAME).count()).isZero();

        // the buyer can pay with another card on the same element
        fillCard("4242 4242 4242 4242");
        JsonNode r = click("pay");
        assertThat(r.path("paymentIntent").path("status").asText()).as(r.toString()).isEqualTo("succeeded");
    }

    @Test
    void handleNextActionAfterAServerSideConfirmation() throws Exception {
        open("flow=next-action");
        assertThat(stripe.v1().paymentIntents().retrieve(intentOnPage()).getStatus()).isEqualTo("requires_action");
        page.locator("#pay").click();
        page.frameLocator(AUTH_FRAME).getByRole(AriaRole.BUTTON, new FrameLocator.GetByRoleOptions()
                .setName("Complete")).click();
        JsonNode r = Json.read(page.locator("#result[data-done]").textContent());
        assertThat(r.path("paymentIntent").path("status").asText()).as(r.toString()).isEqualTo("succeeded");
        assertThat(r.path("paymentIntent").path("id").asText()).isEqualTo(intentOnPage());
        assertThat(stripe.v1().paymentIntents().retrieve(intentOnPage()).getStatus()).isEqualTo("succeeded");
        assertNoCspViolation();
    }

    @Test
    void defaultRedirectLandsOnTheReturnUrl() throws Exception {
        open("flow=redirect");
        String id = intentOnPage();
        fillCard("4242 4242 4242 4242");
        page.locator("#pay").click();
        page.waitForURL(Pattern.compile(Pattern.quote(shopOrigin) + "/return\\?.*"));
        Map<String, String> q = Pages.form(URI.create(page.url()).getRawQuery());
        assertThat(q).containsEntry("payment_intent", id).containsEntry("redirect_status", "succeeded")
                .containsEntry("payment_intent_client_secret",
                        stripe.v1().paymentIntents().retrieve(id).getClientSecret());
    }

    @Test
    void redirectAfterThreeDSecure() throws Exception {
        open("flow=redirect");
        String id = intentOnPage();
        fillCard("4000 0025 0000 3155");
        page.locator("#pay").click();
        page.frameLocator(AUTH_FRAME).getByRole(AriaRole.BUTTON, new FrameLocator.GetByRoleOptions()
                .setName("Complete")).click();
        page.waitForURL(Pattern.compile(Pattern.quote(shopOrigin) + "/return\\?.*"));
        Map<String, String> q = Pages.form(URI.create(page.url()).getRawQuery());
        assertThat(q).containsEntry("payment_intent", id).containsEntry("redirect_status", "succeeded");
        assertThat(stripe.v1().paymentIntents().retrieve(id).getStatus()).isEqualTo("succeeded");
    }

    @Test
    void cardElementWithConfirmCardPayment() throws Exception {
        open("flow=card");
        fillCard("4242 4242 4242 4242");
        JsonNode r = click("pay");
        assertThat(r.path("paymentIntent").path("status").asText()).as(r.toString()).isEqualTo("succeeded");
        PaymentIntent pi = stripe.v1().paymentIntents().retrieve(intentOnPage());
        assertThat(pi.getLatestCharge()).startsWith("ch_");
        assertThat(stripe.v1().paymentMethods().retrieve(pi.getPaymentMethod()).getBillingDetails().getName())
                .isEqualTo("Ann Reader");
        assertNoCspViolation();

        Object secretKeyError = page.evaluate("() => { try { Stripe('sk_test_123'); return null; } "
                + "catch (e) { return e.name + ': ' + e.message; } }");
        assertThat(String.valueOf(secretKeyError)).startsWith("IntegrationError: You should not use your secret key");
        Object missingKeyError = page.evaluate("() => { try { Stripe(''); return null; } "
                + "catch (e) { return e.message; } }");
        assertThat(String.valueOf(missingKeyError)).contains("publishable key");
    }

    @Test
    void cardElementTokenChargedOnTheServer() throws Exception {
        open("flow=token");
        fillCard("4000 0000 0000 0002");
        JsonNode declined = click("pay");
        assertThat(declined.path("error").path("decline_code").asText()).as(declined.toString())
                .isEqualTo("generic_decline");
        fillCard("4242 4242 4242 4242");
        JsonNode r = click("pay");
        assertThat(r.path("charge").path("status").asText()).as(r.toString()).isEqualTo("succeeded");
        com.stripe.model.Charge ch = stripe.v1().charges().retrieve(r.path("charge").path("id").asText());
        assertThat(ch.getBillingDetails().getName()).isEqualTo("Ann Reader");
        assertThat(ch.getPaymentMethodDetails().getCard().getLast4()).isEqualTo("4242");
        assertNoCspViolation();
    }

    @Test
    void submitWithAnIncompleteCardGivesAValidationError() throws Exception {
        open("flow=payment");
        card().getByLabel("Card number").fill("4242 4242");
        JsonNode r = click("check");
        JsonNode e = r.path("error");
        assertThat(e.path("type").asText()).isEqualTo("validation_error");
        assertThat(e.path("code").asText()).isEqualTo("incomplete_number");
        assertThat(e.path("message").asText()).isEqualTo("Your card number is incomplete.");
        assertThat(card().getByText("Your card number is incomplete.").isVisible()).isTrue();
        // nothing reached the API
        assertThat(stripe.v1().paymentIntents().retrieve(intentOnPage()).getStatus())
                .isEqualTo("requires_payment_method");

        fillCard("4242 4242 4242 4242");
        r = click("check");
        assertThat(r.has("error")).as(r.toString()).isFalse();
        assertThat(r.path("selectedPaymentMethod").asText()).isEqualTo("card");
    }

    @Test
    void deferredIntent() throws Exception {
        open("flow=deferred&amount=2599");
        fillCard("4242 4242 4242 4242");
        JsonNode r = click("pay");
        assertThat(r.path("paymentIntent").path("status").asText()).as(r.toString()).isEqualTo("succeeded");
        assertThat(r.path("paymentIntent").path("amount").asLong()).isEqualTo(2599);
        PaymentIntent pi = stripe.v1().paymentIntents().retrieve(r.path("paymentIntent").path("id").asText());
        assertThat(pi.getAmountReceived()).isEqualTo(2599);
        assertNoCspViolation();
    }

    @Test
    void chargesTheAmountTheServerSetAfterTheElementWasCreated() throws Exception {
        open("flow=payment&amount=1000");
        String id = intentOnPage();
        stripe.v1().paymentIntents().update(id, PaymentIntentUpdateParams.builder().setAmount(2500L).build());
        fillCard("4242 4242 4242 4242");
        JsonNode r = click("pay");
        assertThat(r.path("paymentIntent").path("amount").asLong()).as(r.toString()).isEqualTo(2500);
        PaymentIntent pi = stripe.v1().paymentIntents().retrieve(id);
        assertThat(pi.getAmountReceived()).isEqualTo(2500);
        Charge ch = stripe.v1().charges().retrieve(pi.getLatestCharge());
        assertThat(ch.getAmount()).isEqualTo(2500);
        assertThat(ch.getAmountCaptured()).isEqualTo(2500);
    }

    @Test
    void elementLifecycleAndIntegrationErrors() throws Exception {
        open("flow=payment");
        Object r = page.evaluate("async () => {\n"
                + "  const out = [];\n"
                + "  const d = document.body.dataset;\n"
                + "  const stripe = Stripe(d.pk);\n"
                + "  const elements = stripe.elements({clientSecret: d.secret});\n"
                + "  const el = elements.create('payment');\n"
                + "  out.push(elements.getElement('payment') === el);\n"
                + "  try { el.mount('#nowhere'); } catch (e) { out.push(e.name); }\n"
                + "  const box = document.createElement('div');\n"
                + "  document.body.appendChild(box);\n"
                + "  const ready = new Promise(resolve => el.on('ready', e => resolve(e.elementType)));\n"
                + "  el.mount(box);\n"
                + "  out.push(await ready);\n"
                + "  const frames = () => document.querySelectorAll(\"" + FRAME + "\").length;\n"
                + "  out.push(frames());\n"
                + "  el.unmount(); out.push(frames());\n"
                + "  el.mount(box); out.push(frames());\n"
                + "  el.destroy(); out.push(frames(), elements.getElement('payment'));\n"
                + "  const deferred = stripe.elements({mode: 'payment', amount: 1999, currency: 'usd'});\n"
                + "  deferred.create('payment').mount(box);\n"
                + "  try {\n"
                + "    await stripe.confirmPayment({elements: deferred, clientSecret: d.secret,\n"
                + "      confirmParams: {return_url: location.href}, redirect: 'if_required'});\n"
                + "  } catch (e) { out.push(e.message); }\n"
                + "  try { await stripe.confirmPayment({elements}); } catch (e) { out.push(e.message); }\n"
                + "  out.push(await deferred.update({amount: 2999}) === undefined);\n"
                + "  out.push(JSON.stringify(await elements.fetchUpdates()));\n"
                + "  return JSON.stringify(out);\n"
                + "}");
        JsonNode out = Json.read(String.valueOf(r));
        assertThat(out.get(0).asBoolean()).isTrue();
        assertThat(out.get(1).asText()).isEqualTo("IntegrationError");
        assertThat(out.get(2).asText()).isEqualTo("payment");
        assertThat(out.get(3).asInt()).isEqualTo(2);
        assertThat(out.get(4).asInt()).isEqualTo(1);
        assertThat(out.get(5).asInt()).isEqualTo(2);
        assertThat(out.get(6).asInt()).isEqualTo(1);
        assertThat(out.get(7).isNull()).isTrue();
        assertThat(out.get(8).asText()).startsWith("elements.submit() must be called before stripe.confirmPayment()");
        assertThat(out.get(9).asText()).contains("return_url");
        assertThat(out.get(10).asBoolean()).isTrue();
        assertThat(out.get(11).asText()).isEqualTo("{}");
        assertThat(stripe.v1().paymentIntents().retrieve(intentOnPage()).getStatus())
                .isEqualTo("requires_payment_method");
    }
}
