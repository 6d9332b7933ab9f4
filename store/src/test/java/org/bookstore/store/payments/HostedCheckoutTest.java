package org.bookstore.store.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bookstore.store.support.Eventually.eventually;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Paying through Stripe Checkout, end to end, with the hosted page, webhooks and the success page all real. */
@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
class HostedCheckoutTest extends CheckoutScenarios {

    @AfterEach
    void calmStripe() {
        emulator().clearFaults();
        emulator().releaseEvents(false);
    }

    @Test
    void payingWithAVisaCardEndsOnTheConfirmationWithTheChargeId() {
        Shopper shopper = shopperWithCart();
        int stockBefore = stock("making-of-prince-of-persia");

        HttpResponse<String> hostedPage = startCheckout(shopper);
        assertThat(hostedPage.body()).contains("The Art of Doing Science and Engineering", "$71.00", "Card number", "Pay");
        long order = orderOf(sessionId(hostedPage));
        assertThat(stock("making-of-prince-of-persia")).as("stock reserved at checkout").isEqualTo(stockBefore - 1);

        HttpResponse<String> confirmation = payOnHostedPage(shopper, hostedPage, VISA, true);

        assertThat(confirmation.uri().getPath()).isEqualTo("/orders/" + order);
        assertThat(confirmation.body()).contains("Your payment was received", "$71.00", "Paid").containsPattern("ch_[A-Za-z0-9]+");
        assertThat(status(order)).isEqualTo("paid");
        assertThat(chargeId(order)).startsWith("ch_");
        assertThat(confirmation.body()).contains(chargeId(order));
        assertThat(emulator().objectsJson("charge")).anyMatch(charge -> charge.contains("\"id\":\"" + chargeId(order) + "\"")
                && charge.contains("\"amount\":7100"));
        assertThat(stock("making-of-prince-of-persia")).isEqualTo(stockBefore - 1);
        eventually("the webhooks have been handled", () -> transitionsTo(order, "paid") == 1
                && jdbc.sql("SELECT COUNT(*) FROM stripe_events WHERE event_type = 'payment_intent.succeeded' AND object_id IN "
                        + "(SELECT payment_intent_id FROM checkout_attempts WHERE order_id = ?)").param(order).query(Integer.class).single() == 1);
        assertThat(transitionsTo(order, "paid")).isEqualTo(1);
        assertThat(shopper.browser().get("/orders").body()).contains("Order #" + order, "Paid");
    }

    @Test
    void aDeclinedCardShowsStripesMessageAndPayingAgainGivesExactlyOnePaidOrder() {
        Shopper shopper = shopperWithCart();
        HttpResponse<String> hostedPage = startCheckout(shopper);
        long order = orderOf(sessionId(hostedPage));

        HttpResponse<String> declined = payOnHostedPage(shopper, hostedPage, DECLINED, true);
        assertThat(declined.body()).contains("Your card was declined.");
        assertThat(status(order)).isNotEqualTo("paid");

        HttpResponse<String> confirmation = payOnHostedPage(shopper, hostedPage, VISA, true);

        assertThat(confirmation.body()).contains("Your payment was received");
        assertThat(status(order)).isEqualTo("paid");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM orders o JOIN accounts a ON a.id = o.account_id WHERE a.email = ? AND o.status = 'paid'")
                .param(shopper.email()).query(Integer.class).single()).isEqualTo(1);
        assertThat(sessionsForOrder(order)).isEqualTo(1);
    }

    @Test
    void aBuyerWhoLeavesAuthenticationUnfinishedCanContinueTheSamePaymentOrCancelIt() {
        Shopper shopper = shopperWithCart();
        HttpResponse<String> hostedPage = startCheckout(shopper);
        String sessionUrl = hostedPage.uri().toString();
        long order = orderOf(sessionId(hostedPage));
        int stockBefore = stock("making-of-prince-of-persia");

        HttpResponse<String> challenge = payOnHostedPage(shopper, hostedPage, "4000 0025 0000 3155", true);
        assertThat(challenge.body()).contains("Complete", "Fail");
        eventually("payment_intent.created arrived", () -> "pending".equals(status(order)));

        HttpResponse<String> orderPage = shopper.browser().get("/orders/" + order);
        assertThat(orderPage.body()).contains("Your bank needs you to confirm this payment", "Continue payment",
                "Cancel and return to cart", "href=\"" + sessionUrl + "\"").doesNotContain("http-equiv=\"refresh\"");
        assertThat(shopper.browser().get("/cart").body()).as("the books are in the placed order, not the cart").contains("Your cart is empty");

        HttpResponse<String> cancelled = shopper.browser().post("/checkout/cancel", "order", Long.toString(order));

        assertThat(cancelled.uri().getPath()).isEqualTo("/cart");
        assertThat(cancelled.body()).contains("Your payment was cancelled and your books are back in your cart.", "$71.00");
        assertThat(status(order)).isEqualTo("cart");
        assertThat(stock("making-of-prince-of-persia")).isEqualTo(stockBefore + 1);
        assertThat(emulator().objectsJson("checkout.session")).anyMatch(json -> json.contains("\"id\":\"" + sessionId(hostedPage) + "\"")
                && json.contains("\"status\":\"expired\""));
        assertThat(payOnHostedPage(shopper, startCheckout(shopper), VISA, true).body()).contains("Your payment was received", "$71.00");
    }

    @Test
    void aBuyerHasOneStripeCustomerAcrossTheirOrders() {
        Shopper shopper = shopperWithCart();
        HttpResponse<String> first = startCheckout(shopper);
        payOnHostedPage(shopper, first, VISA, true);
        shopper.browser().get("/books/refactoring");
        shopper.browser().post("/cart/add", "bookId", Long.toString(bookId("refactoring")), "quantity", "1");
        HttpResponse<String> second = startCheckout(shopper);
        payOnHostedPage(shopper, second, VISA, true);

        List<String> customers = emulator().objectsJson("customer").stream()
                .filter(json -> json.contains("\"email\":\"" + shopper.email() + "\"")).toList();
        assertThat(customers).hasSize(1);
        String customerId = customers.get(0).replaceAll(".*?\"id\":\"(cus_[A-Za-z0-9]+)\".*", "$1");
        assertThat(emulator().objectsJson("checkout.session")).filteredOn(json -> json.contains(sessionId(first)) || json.contains(sessionId(second)))
                .hasSize(2).allMatch(json -> json.contains("\"customer\":\"" + customerId + "\""));
    }

    @Test
    void aDoubleClickOnPayMakesOneCheckoutSession() {
        Shopper shopper = shopperWithCart();
        shopper.browser().get("/checkout");

        List<CompletableFuture<HttpResponse<String>>> clicks = List.of(
                CompletableFuture.supplyAsync(() -> shopper.browser().postWithoutFollowing("/checkout/pay")),
                CompletableFuture.supplyAsync(() -> shopper.browser().postWithoutFollowing("/checkout/pay")),
                CompletableFuture.supplyAsync(() -> shopper.browser().postWithoutFollowing("/checkout/pay")));
        List<String> redirects = clicks.stream().map(CompletableFuture::join)
                .peek(response -> assertThat(response.statusCode()).isEqualTo(303))
                .map(response -> response.headers().firstValue("Location").orElseThrow()).toList();

        assertThat(redirects).hasSize(3).containsOnly(redirects.get(0));
        String sessionId = redirects.get(0).substring(redirects.get(0).lastIndexOf('/') + 1);
        assertThat(sessionsForOrder(orderOf(sessionId))).isEqualTo(1);
    }

    @Test
    void aSecondTabReturningToPayLandsOnTheSameOpenSession() {
        Shopper shopper = shopperWithCart();
        String first = sessionId(startCheckout(shopper));
        String second = sessionId(startCheckout(shopper));
        assertThat(second).isEqualTo(first);
    }

    @ParameterizedTest(name = "Stripe answers {0}")
    @ValueSource(ints = {500, 503, 429})
    void stripeFailingToCreateTheSessionShowsAClearMessageAndKeepsTheCart(int stripeStatus) {
        Shopper shopper = shopperWithCart();
        int stockBefore = stock("art-of-doing-science-and-engineering");
        emulator().failNext("POST", "/v1/checkout/sessions", 10, stripeStatus);

        HttpResponse<String> refused = startCheckout(shopper);

        assertThat(refused.uri().getPath()).isEqualTo("/checkout");
        assertThat(refused.body()).contains("Payments are unavailable right now. Your cart is safe; please try again in a moment.",
                "$71.00");
        assertThat(stock("art-of-doing-science-and-engineering")).as("no stock held by the failed attempt").isEqualTo(stockBefore);
        assertThat(shopper.browser().get("/cart").body()).contains("$71.00");

        emulator().clearFaults();
        HttpResponse<String> hostedPage = startCheckout(shopper);
        assertThat(hostedPage.body()).contains("$71.00");
        assertThat(payOnHostedPage(shopper, hostedPage, VISA, true).body()).contains("Your payment was received");
    }

    @ParameterizedTest(name = "Stripe answers {0}")
    @ValueSource(ints = {400, 401})
    void stripeRefusingTheStoresOwnRequestIsLoggedAsTheStoresErrorWithStripesRequestId(int stripeStatus,
            org.springframework.boot.test.system.CapturedOutput log) {
        Shopper shopper = shopperWithCart();
        emulator().failNext("POST", "/v1/checkout/sessions", 1, stripeStatus);

        HttpResponse<String> refused = startCheckout(shopper);

        assertThat(refused.body()).contains(PaymentsUnavailable.MESSAGE).doesNotContain("req_");
        assertThat(log.getOut()).containsPattern("ERROR .*Stripe refused to start the payment of order #\\d+: .*request req_\\w+\\)\\. "
                + "This is a bug in the store or a wrong Stripe key, not an outage\\.");
        emulator().clearFaults();
        assertThat(payOnHostedPage(shopper, startCheckout(shopper), VISA, true).body()).contains("Your payment was received");
    }

    @Test
    void stripeBeingDownIsLoggedAsAnOutageNotAsTheStoresError(org.springframework.boot.test.system.CapturedOutput log) {
        Shopper shopper = shopperWithCart();
        emulator().failNext("POST", "/v1/checkout/sessions", 10, 503);

        startCheckout(shopper);

        assertThat(log.getOut()).containsPattern("WARN .*Could not start the payment of order #\\d+: Stripe is unavailable")
                .doesNotContain("This is a bug in the store");
    }

    @Test
    void stripeTimingOutOnSessionCreationShowsAClearMessageAndKeepsTheCart() {
        Shopper shopper = shopperWithCart();
        emulator().hangNext("POST", "/v1/checkout/sessions", 4, 5_000);

        HttpResponse<String> refused = startCheckout(shopper);

        assertThat(refused.body()).contains("Payments are unavailable right now. Your cart is safe");
        assertThat(shopper.browser().get("/cart").body()).contains("$71.00");
        emulator().clearFaults();
        assertThat(startCheckout(shopper).body()).contains("$71.00", "Card number");
    }

    @Test
    void stripeSlowOnceIsRetriedWithTheSameIdempotencyKeyAndMakesOneSession() {
        Shopper shopper = shopperWithCart();
        emulator().hangNext("POST", "/v1/checkout/sessions", 1, 3_000);

        HttpResponse<String> hostedPage = startCheckout(shopper);

        assertThat(hostedPage.body()).contains("$71.00", "Card number");
        assertThat(sessionsForOrder(orderOf(sessionId(hostedPage)))).isEqualTo(1);
    }

    @Test
    void anotherBuyersOrderAndPaymentAreNotFound() {
        Shopper owner = shopperWithCart();
        HttpResponse<String> hostedPage = startCheckout(owner);
        String sessionId = sessionId(hostedPage);
        long order = orderOf(sessionId);
        payOnHostedPage(owner, hostedPage, VISA, true);

        Shopper stranger = shopperWithCart();
        HttpResponse<String> theirOrder = stranger.browser().get("/orders/" + order);
        HttpResponse<String> theirSuccess = stranger.browser().get("/checkout/success?session_id=" + sessionId);

        assertThat(theirOrder.statusCode()).isEqualTo(404);
        assertThat(theirOrder.body()).doesNotContain(chargeId(order));
        assertThat(theirSuccess.statusCode()).isEqualTo(404);
        assertThat(stranger.browser().get("/orders").body()).doesNotContain("Order #" + order);
    }

    @Test
    void changingTheCartWhileItsCheckoutIsOpenExpiresTheSessionSoTheOldTotalCanNeverBeCharged() {
        Shopper shopper = shopperWithCart();
        HttpResponse<String> oldPage = startCheckout(shopper);
        String oldSession = sessionId(oldPage);

        shopper.browser().get("/books/working-in-public");
        shopper.browser().post("/cart/add", "bookId", Long.toString(bookId("working-in-public")), "quantity", "1");

        assertThat(shopper.browser().get("/cart").body()).contains("$99.00");
        HttpResponse<String> paidOld = payOnHostedPage(shopper, oldPage, VISA, true);
        assertThat(paidOld.body()).doesNotContain("Your payment was received");
        assertThat(emulator().objectsJson("checkout.session")).anyMatch(json -> json.contains("\"id\":\"" + oldSession + "\"")
                && json.contains("\"status\":\"expired\""));

        HttpResponse<String> newPage = startCheckout(shopper);
        assertThat(sessionId(newPage)).isNotEqualTo(oldSession);
        assertThat(newPage.body()).contains("$99.00");
        assertThat(payOnHostedPage(shopper, newPage, VISA, true).body()).contains("Your payment was received", "$99.00");
    }

    @Test
    void aCartChangeThatIsRefusedLeavesTheOpenCheckoutAsItWas() {
        Shopper shopper = shopperWithCart();
        HttpResponse<String> hostedPage = startCheckout(shopper);
        String sessionId = sessionId(hostedPage);
        long order = orderOf(sessionId);

        shopper.browser().get("/books/art-of-doing-science-and-engineering");
        HttpResponse<String> tooMany = shopper.browser().post("/cart/add",
                "bookId", Long.toString(bookId("art-of-doing-science-and-engineering")), "quantity", "98");
        assertThat(tooMany.body()).contains("You can have at most 99 copies of a book in your cart (you already have 2).");
        HttpResponse<String> notThere = shopper.browser().post(
                "/cart/lines/" + bookId("working-in-public") + "/remove");
        assertThat(notThere.body()).contains("That book is not in your cart.");

        assertThat(emulator().objectsJson("checkout.session")).anyMatch(json -> json.contains("\"id\":\"" + sessionId + "\"")
                && json.contains("\"status\":\"open\""));
        assertThat(payOnHostedPage(shopper, hostedPage, VISA, true).body()).contains("Your payment was received", "$71.00");
        assertThat(status(order)).isEqualTo("paid");
    }

    @Test
    void anOrderPaidForAgainAndAgainShowsItsLatestHistoryOnly() {
        Shopper shopper = shopperWithCart();
        String book = Long.toString(bookId("making-of-prince-of-persia"));
        long order = orderOf(sessionId(startCheckout(shopper)));
        for (int quantity = 2; quantity <= 30; quantity++) {
            shopper.browser().get("/cart");
            shopper.browser().post("/cart/lines/" + book, "quantity", Integer.toString(quantity % 2 + 1));
            startCheckout(shopper);
        }
        int entries = jdbc.sql("SELECT COUNT(*) FROM order_status_changes WHERE order_id = ? AND internal = FALSE")
                .param(order).query(Integer.class).single();
        assertThat(entries).isGreaterThan(org.bookstore.store.orders.OrderRepository.TIMELINE_SHOWN);

        String page = shopper.browser().get("/orders/" + order).body();
        String timeline = page.substring(page.indexOf("data-testid=\"timeline\""));
        assertThat(timeline.split("<li>", -1)).hasSize(org.bookstore.store.orders.OrderRepository.TIMELINE_SHOWN + 1);
        assertThat(page).contains((entries - org.bookstore.store.orders.OrderRepository.TIMELINE_SHOWN) + " earlier entries are not shown.");
    }

    @Test
    void aPendingOrderWhoseSessionExpiresAfterADeclineBecomesTheCartAgain() throws Exception {
        Shopper shopper = shopperWithCart();
        HttpResponse<String> hostedPage = startCheckout(shopper);
        String sessionId = sessionId(hostedPage);
        long order = orderOf(sessionId);
        payOnHostedPage(shopper, hostedPage, DECLINED, true);
        eventually("the decline is recorded", () -> "payment_failed".equals(status(order)));
        assertThat(shopper.browser().get("/orders/" + order).body()).contains("Your payment did not go through", "Your card was declined.");

        stripe.client().v1().checkout().sessions().expire(sessionId);

        eventually("the order is the cart again", () -> "cart".equals(status(order)));
        assertThat(shopper.browser().get("/cart").body()).contains("$71.00", "Checkout");
        assertThat(payOnHostedPage(shopper, startCheckout(shopper), VISA, true).body()).contains("Your payment was received");
    }
}
