package org.bookstore.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.exception.CardException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.model.Card;
import com.stripe.model.Charge;
import com.stripe.model.Customer;
import com.stripe.model.Event;
import com.stripe.model.PaymentSource;
import com.stripe.model.Refund;
import com.stripe.model.StripeCollection;
import com.stripe.model.Token;
import com.stripe.param.ChargeCaptureParams;
import com.stripe.param.ChargeCreateParams;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.CustomerPaymentSourceCreateParams;
import com.stripe.param.CustomerRetrieveParams;
import com.stripe.param.CustomerUpdateParams;
import com.stripe.param.EventListParams;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.TokenCreateParams;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The legacy card API through stripe-java: tokens, a customer's cards, and charges. */
class LegacyCardApiTest extends EmulatorTestBase {

    static Token token(String number) throws Exception {
        return stripe.v1().tokens().create(TokenCreateParams.builder().setCard(TokenCreateParams.Card.builder()
                .setNumber(number).setExpMonth("12").setExpYear("2034").setCvc("123").setName("Ann Reader")
                .build()).build());
    }

    static ChargeCreateParams.Builder charge(long amount) {
        return ChargeCreateParams.builder().setAmount(amount).setCurrency("usd");
    }

    @Test
    void tokenFromACardNumberIsChargedOnceOnly() throws Exception {
        Token tok = token("4242 4242 4242 4242");
        assertThat(tok.getId()).startsWith("tok_");
        assertThat(tok.getUsed()).isFalse();
        assertThat(tok.getCard().getLast4()).isEqualTo("4242");
        assertThat(tok.getCard().getBrand()).isEqualTo("Visa");

        Charge ch = stripe.v1().charges().create(charge(2000).setSource(tok.getId()).setDescription("Dune").build());
        assertThat(ch.getStatus()).isEqualTo("succeeded");
        assertThat(ch.getPaid()).isTrue();
        assertThat(ch.getCaptured()).isTrue();
        assertThat(ch.getPaymentIntent()).isNull();
        assertThat(ch.getPaymentMethod()).isEqualTo(tok.getCard().getId());
        assertThat(((Card) ch.getSource()).getLast4()).isEqualTo("4242");
        assertThat(ch.getPaymentMethodDetails().getCard().getBrand()).isEqualTo("visa");
        assertThat(stripe.v1().tokens().retrieve(tok.getId()).getUsed()).isTrue();

        assertThatThrownBy(() -> stripe.v1().charges().create(charge(2000).setSource(tok.getId()).build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.getCode()).isEqualTo("token_already_used");
                    assertThat(e.getStripeError().getMessage())
                            .isEqualTo("You cannot use a Stripe token more than once: " + tok.getId() + ".");
                });
    }

    @Test
    void testTokensWorkEveryTime() throws Exception {
        Token t = stripe.v1().tokens().retrieve("tok_mastercard");
        assertThat(t.getCard().getBrand()).isEqualTo("MasterCard");
        assertThat(t.getUsed()).isFalse();
        for (int i = 0; i < 2; i++) {
            Charge ch = stripe.v1().charges().create(charge(1500).setSource("tok_visa").build());
            assertThat(ch.getStatus()).isEqualTo("succeeded");
        }
        assertThatThrownBy(() -> stripe.v1().tokens().retrieve("tok_nope"))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.getCode()).isEqualTo("resource_missing"));
    }

    @Test
    void declinesAre402sNamingTheFailedCharge() throws Exception {
        CardException e = (CardException) catchThrowable(() -> stripe.v1().charges().create(charge(1000)
                .setSource("tok_chargeDeclinedInsufficientFunds").build()));
        assertThat(e.getCode()).isEqualTo("card_declined");
        assertThat(e.getDeclineCode()).isEqualTo("insufficient_funds");
        assertThat(e.getCharge()).startsWith("ch_");
        Charge failed = stripe.v1().charges().retrieve(e.getCharge());
        assertThat(failed.getStatus()).isEqualTo("failed");
        assertThat(failed.getFailureCode()).isEqualTo("card_declined");
        assertThat(failed.getBalanceTransaction()).isNull();

        CardException generic = (CardException) catchThrowable(() -> stripe.v1().charges().create(charge(1000)
                .setSource(token("4000000000000002").getId()).build()));
        assertThat(generic.getDeclineCode()).isEqualTo("generic_decline");
        assertThat(generic.getStripeError().getMessage()).isEqualTo("Your card was declined.");

        // the Charges API cannot authenticate: a card that requires 3-D Secure declines
        CardException auth = (CardException) catchThrowable(() -> stripe.v1().charges().create(charge(1000)
                .setSource("tok_threeDSecure2Required").build()));
        assertThat(auth.getDeclineCode()).isEqualTo("authentication_required");
        assertThat(types(e.getCharge())).contains("charge.failed");
    }

    static Throwable catchThrowable(org.assertj.core.api.ThrowableAssert.ThrowingCallable c) {
        return org.assertj.core.api.Assertions.catchThrowable(c);
    }

    static List<String> types(String objectId) throws Exception {
        List<String> out = new ArrayList<>();
        for (Event ev : stripe.v1().events().list(EventListParams.builder().setLimit(100L).build()).getData()) {
            if (ev.toJson().contains(objectId)) {
                out.add(ev.getType());
            }
        }
        return out;
    }

    @Test
    void customerWithCardsIsChargedByDefaultOrChosenCard() throws Exception {
        Customer cus = stripe.v1().customers().create(CustomerCreateParams.builder().setEmail("ann@example.com")
                .setSource("tok_visa").build());
        assertThat(cus.getDefaultSource()).startsWith("card_");
        String first = cus.getDefaultSource();

        PaymentSource second = stripe.v1().customers().paymentSources().create(cus.getId(),
                CustomerPaymentSourceCreateParams.builder().setSource("tok_mastercard").build());
        assertThat(((Card) second).getCustomer()).isEqualTo(cus.getId());
        StripeCollection<PaymentSource> cards = stripe.v1().customers().paymentSources().list(cus.getId());
        assertThat(cards.getData()).extracting(PaymentSource::getId).containsExactly(second.getId(), first);
        assertThat(stripe.v1().customers().retrieve(cus.getId()).getDefaultSource()).isEqualTo(first);

        Charge byDefault = stripe.v1().charges().create(charge(1200).setCustomer(cus.getId()).build());
        assertThat(byDefault.getPaymentMethod()).isEqualTo(first);
        assertThat(byDefault.getCustomer()).isEqualTo(cus.getId());
        Charge chosen = stripe.v1().charges().create(charge(1200).setCustomer(cus.getId())
                .setSource(second.getId()).build());
        assertThat(chosen.getPaymentMethodDetails().getCard().getBrand()).isEqualTo("mastercard");

        // a customer's card cannot be charged without the customer
        assertThatThrownBy(() -> stripe.v1().charges().create(charge(1200).setSource(second.getId()).build()))
                .isInstanceOf(InvalidRequestException.class);

        Customer switched = stripe.v1().customers().update(cus.getId(), CustomerUpdateParams.builder()
                .setDefaultSource(second.getId()).build());
        assertThat(switched.getDefaultSource()).isEqualTo(second.getId());
        assertThatThrownBy(() -> stripe.v1().customers().update(cus.getId(), CustomerUpdateParams.builder()
                .setDefaultSource("card_missing").build()))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.getCode()).isEqualTo("resource_missing"));

        PaymentSource deleted = stripe.v1().customers().paymentSources().delete(cus.getId(), second.getId());
        assertThat(((Card) deleted).getDeleted()).isTrue();
        assertThat(stripe.v1().customers().retrieve(cus.getId()).getDefaultSource()).isEqualTo(first);
        assertThatThrownBy(() -> stripe.v1().customers().paymentSources().retrieve(cus.getId(), second.getId()))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.getCode()).isEqualTo("resource_missing"));

        Customer expanded = stripe.v1().customers().retrieve(cus.getId(), CustomerRetrieveParams.builder()
                .addExpand("sources").build());
        assertThat(expanded.getSources().getData()).extracting(PaymentSource::getId).containsExactly(first);
    }

    @Test
    void updatingSourceReplacesTheDefaultCard() throws Exception {
        Customer cus = stripe.v1().customers().create(CustomerCreateParams.builder().setSource("tok_visa").build());
        String old = cus.getDefaultSource();
        Customer upd = stripe.v1().customers().update(cus.getId(), CustomerUpdateParams.builder()
                .setSource("tok_amex").build());
        assertThat(upd.getDefaultSource()).isNotEqualTo(old);
        assertThat(stripe.v1().customers().paymentSources().list(cus.getId()).getData())
                .extracting(PaymentSource::getId).containsExactly(upd.getDefaultSource());
    }

    @Test
    void customerWithoutACardCannotBeCharged() throws Exception {
        Customer cus = stripe.v1().customers().create(CustomerCreateParams.builder().build());
        assertThatThrownBy(() -> stripe.v1().charges().create(charge(1000).setCustomer(cus.getId()).build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.getCode()).isEqualTo("missing");
                    assertThat(e.getStripeError().getMessage())
                            .isEqualTo("Cannot charge a customer that has no active card");
                });
    }

    @Test
    void authorizeThenCaptureLessAndRefund() throws Exception {
        Charge auth = stripe.v1().charges().create(charge(5000).setSource("tok_visa").setCapture(false).build());
        assertThat(auth.getCaptured()).isFalse();
        assertThat(auth.getStatus()).isEqualTo("succeeded");
        assertThat(auth.getBalanceTransaction()).isNull();

        Charge captured = stripe.v1().charges().capture(auth.getId(), ChargeCaptureParams.builder()
                .setAmount(4000L).build());
        assertThat(captured.getCaptured()).isTrue();
        assertThat(captured.getAmountCaptured()).isEqualTo(4000L);
        assertThat(captured.getAmountRefunded()).isEqualTo(1000L);
        assertThat(captured.getBalanceTransaction()).startsWith("txn_");
        assertThatThrownBy(() -> stripe.v1().charges().capture(auth.getId()))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.getCode()).isEqualTo("charge_already_captured"));

        Refund r = stripe.v1().refunds().create(RefundCreateParams.builder().setCharge(auth.getId())
                .setAmount(1500L).build());
        assertThat(r.getStatus()).isEqualTo("succeeded");
        assertThat(r.getPaymentIntent()).isNull();
        Charge after = stripe.v1().charges().retrieve(auth.getId());
        assertThat(after.getAmountRefunded()).isEqualTo(2500L);
        assertThat(after.getRefunded()).isFalse();
        assertThat(types(auth.getId())).contains("charge.succeeded", "charge.captured", "charge.refunded");
    }
}
