package org.bookstore.store.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bookstore.store.support.Eventually.eventually;

import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;

/** Sessions that run out of time. Moving Stripe's clock forward is for this context alone, so it is discarded after. */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class CheckoutExpiryTest extends CheckoutScenarios {

    @Test
    void anExpiredSessionGivesTheBuyerAnEditableCartAndTheStockBack() {
        Shopper shopper = shopperWithCart();
        int stockBefore = stock("making-of-prince-of-persia");
        long order = orderOf(sessionId(startCheckout(shopper)));
        assertThat(stock("making-of-prince-of-persia")).isEqualTo(stockBefore - 1);

        emulator().advanceClock(2 * 3600);

        eventually("the expiry webhook reopened the cart",
                () -> jdbc.sql("SELECT live_attempt_id IS NULL FROM orders WHERE id = ?").param(order).query(Boolean.class).single());
        assertThat(status(order)).isEqualTo("cart");
        assertThat(stock("making-of-prince-of-persia")).isEqualTo(stockBefore);
        shopper.browser().get("/cart");
        shopper.browser().post("/cart/lines/" + bookId("making-of-prince-of-persia"), "quantity", "2");
        assertThat(shopper.browser().get("/cart").body()).contains("$96.00");
    }

}
