package org.bookstore.store.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bookstore.store.support.Eventually.eventually;

import com.stripe.exception.CardException;
import com.stripe.model.PaymentIntent;
import com.stripe.model.checkout.Session;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.checkout.SessionCreateParams;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Payments the store never made: someone with access to the Stripe account (or its Dashboard) makes a PaymentIntent
 * or Checkout Session whose metadata names a buyer's order. None of it moves the order; each is kept for the shop's
 * people to look at.
 */
class StrangersPaymentsTest extends CheckoutScenarios {

    @Test
    void aDeclinedAndAPaidPaymentIntentNamingABuyersOrderMoveNothing() throws Exception {
        Shopper victim = shopperWithCart();
        HttpResponse<String> hostedPage = startCheckout(victim);
        long order = orderOf(sessionId(hostedPage));
        long attempt = attemptOf(order);

        assertThatThrownBy(() -> foreignIntent(order, attempt, 7100, "pm_card_visa_chargeDeclined")).isInstanceOf(CardException.class);
        PaymentIntent paidByStranger = foreignIntent(order, attempt, 7100, "pm_card_visa");
        assertThat(paidByStranger.getStatus()).isEqualTo("succeeded");
        eventually("the store has answered every event about the stranger's payments",
                () -> answered(intentsNaming(order)) && intentsNaming(order).size() == 2);

        assertThat(status(order)).isEqualTo("cart");
        assertThat(transitionsTo(order, "pending") + transitionsTo(order, "payment_failed") + transitionsTo(order, "paid")).isZero();
        assertThat(attention("FOREIGN_PAYMENT", order)).containsAll(intentsNaming(order));
        assertThat(victim.browser().get("/cart").body()).as("the buyer's cart is still theirs").contains("$71.00");

        HttpResponse<String> confirmation = payOnHostedPage(victim, hostedPage, VISA, true);
        assertThat(confirmation.body()).contains("Your payment was received", "$71.00");
        assertThat(chargeId(order)).isNotEqualTo(paidByStranger.getLatestCharge());
    }

    @Test
    void aCheckoutSessionMadeBehindTheStoresBackAndPaidMovesNothing() throws Exception {
        Shopper victim = shopperWithCart();
        long order = orderOf(sessionId(startCheckout(victim)));
        Session foreign = stripe.client().v1().checkout().sessions().create(SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT)
                .setClientReferenceId(Long.toString(order))
                .putMetadata("order_id", Long.toString(order))
                .putMetadata("checkout_attempt_id", Long.toString(attemptOf(order)))
                .setPaymentIntentData(SessionCreateParams.PaymentIntentData.builder().putMetadata("order_id", Long.toString(order)).build())
                .setSuccessUrl("http://localhost:" + port + "/checkout/success?session_id={CHECKOUT_SESSION_ID}")
                .addLineItem(SessionCreateParams.LineItem.builder().setQuantity(1L).setPriceData(
                        SessionCreateParams.LineItem.PriceData.builder().setCurrency("usd").setUnitAmount(7100L)
                                .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder().setName("Not from the shop").build())
                                .build()).build())
                .build());

        HttpResponse<String> afterPaying = victim.browser().submitTo(foreign.getUrl(), true, "email", victim.email(),
                "card_number", VISA, "expiry", "12 / 34", "cvc", "123", "name", "Paying Buyer");

        assertThat(afterPaying.statusCode()).as("the store does not know that session as this buyer's").isEqualTo(404);
        eventually("the store has answered every event about the foreign session",
                () -> answered(Set.of(foreign.getId())) && !intentsNaming(order).isEmpty() && answered(intentsNaming(order)));
        assertThat(status(order)).isEqualTo("cart");
        assertThat(attention("FOREIGN_PAYMENT", order)).contains(foreign.getId());
        assertThat(victim.browser().get("/orders").body()).doesNotContain("Order #" + order);
    }

    private PaymentIntent foreignIntent(long order, long attempt, long amount, String paymentMethod) throws Exception {
        return stripe.client().v1().paymentIntents().create(PaymentIntentCreateParams.builder()
                .setAmount(amount).setCurrency("usd")
                .putMetadata("order_id", Long.toString(order))
                .putMetadata("checkout_attempt_id", Long.toString(attempt))
                .setPaymentMethod(paymentMethod)
                .addPaymentMethodType("card")
                .setConfirm(true)
                .build());
    }

    long attemptOf(long order) {
        return jdbc.sql("SELECT id FROM checkout_attempts WHERE order_id = ? ORDER BY id DESC").param(order)
                .query(Long.class).list().get(0);
    }

    /** PaymentIntents at Stripe whose metadata names the order but that the store did not make. */
    Set<String> intentsNaming(long order) {
        List<String> ours = jdbc.sql("SELECT payment_intent_id FROM checkout_attempts WHERE order_id = ? AND payment_intent_id IS NOT NULL")
                .param(order).query(String.class).list();
        return emulator().objectsJson("payment_intent").stream()
                .filter(json -> json.contains("\"order_id\":\"" + order + "\""))
                .map(json -> json.replaceAll("(?s)^.*?\"id\":\"(pi_[A-Za-z0-9]+)\".*$", "$1"))
                .filter(id -> !ours.contains(id)).collect(Collectors.toSet());
    }

    /**
     * Every event about these objects has been delivered to the store, answered 2xx, and acted on: the store answers
     * once it has kept an event in its inbox and acts on it afterwards, deleting it from there.
     */
    boolean answered(Set<String> objectIds) {
        List<String> events = emulator().eventsJson().stream()
                .filter(json -> objectIds.stream().anyMatch(json::contains))
                .map(json -> json.replaceAll("(?s)^.*?\"id\":\"(evt_[A-Za-z0-9]+)\".*$", "$1")).toList();
        return !events.isEmpty() && events.stream().allMatch(event -> emulator().deliveryAttempts().stream()
                .anyMatch(attempt -> attempt.eventId().equals(event) && attempt.succeeded()))
                && events.stream().noneMatch(event -> jdbc.sql("SELECT COUNT(*) FROM stripe_inbox WHERE event_id = ?")
                        .param(event).query(Integer.class).single() > 0);
    }

    List<String> attention(String kind, long order) {
        return jdbc.sql("SELECT stripe_object_id FROM payment_attention WHERE kind = ? AND order_id = ?").params(kind, order)
                .query(String.class).list();
    }
}
