package org.bookstore.store.payments;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * A script pressing Pay and then changing the cart, again and again: each time a new payment begins (a Stripe
 * Session, rows in the order's history). An account may begin only so many within the window (here 3).
 */
@TestPropertySource(properties = "bookstore.checkout.max-new-payments-per-account=3")
class PaymentLimitTest extends CheckoutScenarios {

    @Test
    void pastItsLimitABuyerBeginsNoNewPaymentButPressingPayAgainStillWorks() {
        Shopper shopper = shopperWithCart();
        String book = Long.toString(bookId("making-of-prince-of-persia"));
        HttpResponse<String> first = startCheckout(shopper);
        long order = orderOf(sessionId(first));
        assertThat(sessionId(startCheckout(shopper))).as("Pay pressed again: the same payment").isEqualTo(sessionId(first));
        int sessionsAtStripe = emulator().objectsJson("checkout.session").size();

        for (int quantity = 2; quantity <= 3; quantity++) {
            shopper.browser().get("/cart");
            shopper.browser().post("/cart/lines/" + book, "quantity", Integer.toString(quantity));
            sessionId(startCheckout(shopper));
        }
        shopper.browser().get("/cart");
        shopper.browser().post("/cart/lines/" + book, "quantity", "4");

        HttpResponse<String> refused = startCheckout(shopper);
        assertThat(refused.uri().getPath()).isEqualTo("/cart");
        assertThat(refused.body()).contains("You have started a great many payments in a short time", "Please wait 60 minute(s)");
        assertThat(attempts(order)).isEqualTo(3);
        assertThat(emulator().objectsJson("checkout.session")).as("no new Stripe session").hasSize(sessionsAtStripe + 2);
        assertThat(status(order)).isEqualTo("cart");

        Shopper another = shopperWithCart();
        assertThat(sessionId(startCheckout(another))).as("another buyer still pays").startsWith("cs_");
    }

    @Test
    void paymentsThatCouldNotBeginAreNotCounted() {
        Shopper shopper = shopperWithCart();
        emulator().failNext("POST", "/v1/customers", 100, 503);
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> refused = startCheckout(shopper);
            assertThat(refused.uri().getPath()).isEqualTo("/checkout");
            assertThat(refused.body()).contains("Payments are unavailable right now.");
        }
        emulator().clearFaults();

        String book = Long.toString(bookId("making-of-prince-of-persia"));
        for (int quantity = 2; quantity <= 4; quantity++) {
            assertThat(sessionId(startCheckout(shopper))).as("payment " + (quantity - 1)).startsWith("cs_");
            shopper.browser().get("/cart");
            shopper.browser().post("/cart/lines/" + book, "quantity", Integer.toString(quantity));
        }
    }

    private int attempts(long order) {
        return jdbc.sql("SELECT COUNT(*) FROM checkout_attempts WHERE order_id = ?").param(order).query(Integer.class).single();
    }
}
