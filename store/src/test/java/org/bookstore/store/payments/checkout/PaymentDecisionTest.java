package org.bookstore.store.payments.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.bookstore.store.common.Money;
import org.bookstore.store.payments.PayableOrder;
import org.bookstore.store.payments.checkout.PaymentDecision.Attention;
import org.bookstore.store.payments.checkout.PaymentDecision.Decision;
import org.bookstore.store.payments.checkout.StripePayment.Failure;
import org.bookstore.store.payments.checkout.StripePayment.IntentState;
import org.bookstore.store.payments.checkout.StripePayment.SessionState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The one decision from what Stripe says to an attempt's next state, case by case. */
class PaymentDecisionTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final Failure DECLINED = new Failure("card_error", "card_declined", "generic_decline", "Your card was declined.",
            "ch_failed", "pm_1");

    @Test
    void aSessionStripeHasMadeButNobodyPaidYetIsOpen() {
        assertThat(decide(AttemptStatus.CREATING, session("open"), null).next()).isEqualTo(AttemptStatus.OPEN);
        assertThat(decide(AttemptStatus.OPEN, session("open"), null).next()).isEqualTo(AttemptStatus.OPEN);
    }

    @Test
    void exactlyTheAttemptsAmountAndCurrencyReceivedIsPaid() {
        Decision paid = decide(AttemptStatus.STARTED, null, intent("succeeded", 7100, "usd", null));
        assertThat(paid.next()).isEqualTo(AttemptStatus.PAID);
        assertThat(paid.attention()).isNull();
    }

    @ParameterizedTest(name = "{0} {1} received for an order of 71.00 USD")
    @CsvSource({"100, usd", "7099, usd", "7101, usd", "7100, eur", "0, usd"})
    void anyOtherAmountOrCurrencyIsKeptForAttentionAndMovesNothing(long received, String currency) {
        Decision decision = decide(AttemptStatus.STARTED, null, intent("succeeded", received, currency, null));
        assertThat(decision.next()).isEqualTo(AttemptStatus.STARTED);
        assertThat(decision.attention()).isEqualTo(Attention.AMOUNT_MISMATCH);
        assertThat(decision.detail()).contains("order #42", "not marked paid");
    }

    @Test
    void anAuthorisationTheStoreNeverAskedForIsNotAPayment() {
        Decision decision = decide(AttemptStatus.STARTED, null, intent("requires_capture", 0, "usd", null));
        assertThat(decision.next()).isEqualTo(AttemptStatus.STARTED);
        assertThat(decision.attention()).isEqualTo(Attention.UNCAPTURED);
    }

    @Test
    void aCancelledIntentOrAnExpiredSessionClosesTheAttempt() {
        assertThat(decide(AttemptStatus.OPEN, null, intent("canceled", 0, "usd", null)).next()).isEqualTo(AttemptStatus.CLOSED);
        Decision expired = decide(AttemptStatus.FAILED, session("expired"), intent("requires_payment_method", 0, "usd", DECLINED));
        assertThat(expired.next()).isEqualTo(AttemptStatus.CLOSED);
        assertThat(expired.closeReason()).isEqualTo("the checkout expired");
    }

    @Test
    void thePaymentIntentsStatusSaysWhereAPaymentUnderWayIs() {
        assertThat(decide(AttemptStatus.OPEN, null, intent("requires_payment_method", 0, "usd", null)).next()).isEqualTo(AttemptStatus.STARTED);
        assertThat(decide(AttemptStatus.OPEN, null, intent("requires_confirmation", 0, "usd", null)).next()).isEqualTo(AttemptStatus.STARTED);
        assertThat(decide(AttemptStatus.STARTED, null, intent("requires_action", 0, "usd", null)).next()).isEqualTo(AttemptStatus.REQUIRES_ACTION);
        assertThat(decide(AttemptStatus.STARTED, null, intent("processing", 0, "usd", null)).next()).isEqualTo(AttemptStatus.PROCESSING);
        assertThat(decide(AttemptStatus.STARTED, null, intent("requires_payment_method", 0, "usd", DECLINED)).next()).isEqualTo(AttemptStatus.FAILED);
        assertThat(decide(AttemptStatus.FAILED, null, intent("requires_action", 0, "usd", null)).next())
                .as("trying again with a card that needs authentication").isEqualTo(AttemptStatus.REQUIRES_ACTION);
    }

    @ParameterizedTest
    @EnumSource(value = AttemptStatus.class, names = {"PAID", "CLOSED"})
    void aFinalAttemptNeverMovesWhateverArrivesLate(AttemptStatus status) {
        for (String late : List.of("requires_payment_method", "requires_action", "processing", "canceled")) {
            assertThat(decide(status, null, intent(late, 0, "usd", late.equals("requires_payment_method") ? DECLINED : null)).next())
                    .as("%s after %s", late, status).isEqualTo(status);
        }
        assertThat(decide(status, session("expired"), null).next()).isEqualTo(status);
    }

    @Test
    void aPaymentTakenAfterItsCheckoutClosedIsKeptForARefund() {
        Decision decision = decide(AttemptStatus.CLOSED, null, intent("succeeded", 7100, "usd", null));
        assertThat(decision.next()).isEqualTo(AttemptStatus.CLOSED);
        assertThat(decision.attention()).isEqualTo(Attention.PAID_AFTER_CLOSE);
        assertThat(decide(AttemptStatus.PAID, null, intent("succeeded", 7100, "usd", null)).attention()).isNull();
    }

    @Test
    void aCompletedSessionWithoutAPaymentIsNotPaid() {
        Decision decision = decide(AttemptStatus.OPEN, session("complete"), null);
        assertThat(decision.next()).isEqualTo(AttemptStatus.OPEN);
        assertThat(decision.attention()).isEqualTo(Attention.NO_PAYMENT);
    }

    @Test
    void buyersReadPlainWordsWhateverStripeSaid() {
        assertThat(FailureMessages.forBuyer(DECLINED)).isEqualTo("Your card was declined.");
        assertThat(FailureMessages.forBuyer(new Failure("invalid_request_error", "payment_intent_authentication_failure", null,
                "The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod "
                        + "to attempt to fulfill this PaymentIntent again.", null, "pm_2")))
                .startsWith("Your bank could not confirm that it was you").doesNotContain("PaymentMethod", "payment_method_data");
        assertThat(FailureMessages.forBuyer(new Failure("api_error", "processing_error", null, "An error occurred", null, null)))
                .isEqualTo(FailureMessages.GENERIC);
    }

    private static Decision decide(AttemptStatus status, SessionState session, IntentState intent) {
        CheckoutAttempt attempt = new CheckoutAttempt(1, 42, 7, session != null ? CheckoutAttempt.Integration.HOSTED
                : CheckoutAttempt.Integration.EMBEDDED, status, "key", Money.of(7100, "USD"), "digest", "cus_1", "http://shop",
                NOW.plusSeconds(3600), session != null ? "cs_1" : null, null, intent != null ? intent.id() : null, null, null, null,
                null, null, null, NOW, NOW, null, List.of(new PayableOrder.Line(1, "Dune", Money.of(7100, "USD"), 1)));
        return PaymentDecision.decide(attempt, new StripePayment(NOW, session, intent));
    }

    private static SessionState session(String status) {
        return new SessionState("cs_1", status, status.equals("complete") ? "paid" : "unpaid", null);
    }

    private static IntentState intent(String status, long received, String currency, Failure error) {
        return new IntentState("pi_1", status, received, currency, "automatic_async", status.equals("succeeded") ? "ch_1" : null, error);
    }
}
