package org.bookstore.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.model.Balance;
import com.stripe.model.BalanceTransaction;
import com.stripe.model.Charge;
import com.stripe.model.Dispute;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.param.BalanceTransactionListParams;
import com.stripe.param.ChargeCreateParams;
import com.stripe.param.DisputeListParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.PaymentIntentRetrieveParams;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.RefundRetrieveParams;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What payments do to the balance: fees (2.9% + 30 cents on USD cards), refunds, disputes, availability. */
class BalanceTransactionTest extends EmulatorTestBase {

    static PaymentIntent paid(long amount, String currency, String pm) throws Exception {
        return stripe.v1().paymentIntents().create(PaymentIntentCreateParams.builder().setAmount(amount)
                .setCurrency(currency).setPaymentMethod(pm).setConfirm(true)
                .addPaymentMethodType("card").build());
    }

    @Test
    void chargeCarriesTheCardFeeExpandableFromItsIntent() throws Exception {
        PaymentIntent pi = paid(2000, "usd", "pm_card_visa");
        PaymentIntent expanded = stripe.v1().paymentIntents().retrieve(pi.getId(), PaymentIntentRetrieveParams
                .builder().addExpand("latest_charge.balance_transaction").build());
        BalanceTransaction txn = expanded.getLatestChargeObject().getBalanceTransactionObject();
        assertThat(txn.getAmount()).isEqualTo(2000L);
        assertThat(txn.getFee()).isEqualTo(88L); // 58 + 30
        assertThat(txn.getNet()).isEqualTo(1912L);
        assertThat(txn.getType()).isEqualTo("charge");
        assertThat(txn.getReportingCategory()).isEqualTo("charge");
        assertThat(txn.getSource()).isEqualTo(pi.getLatestCharge());
        assertThat(txn.getStatus()).isEqualTo("pending");
        assertThat(txn.getAvailableOn()).isGreaterThan(txn.getCreated());
        assertThat(txn.getFeeDetails()).singleElement().satisfies(f -> {
            assertThat(f.getAmount()).isEqualTo(88L);
            assertThat(f.getType()).isEqualTo("stripe_fee");
        });

        // a 33.99 payment: 2.9% is 98.571, rounded to 99
        PaymentIntent odd = paid(3399, "usd", "pm_card_visa");
        Charge ch = stripe.v1().charges().retrieve(odd.getLatestCharge());
        assertThat(stripe.v1().balanceTransactions().retrieve(ch.getBalanceTransaction()).getFee()).isEqualTo(129L);
    }

    @Test
    void legacyChargeAndRefundMoveTheBalance() throws Exception {
        // Canadian dollars: no other test here uses them, so the balance is this test's alone
        Balance before = stripe.v1().balance().retrieve();
        assertThat(amount(before.getPending(), "cad")).isZero();
        Charge ch = stripe.v1().charges().create(ChargeCreateParams.builder().setAmount(10000L).setCurrency("cad")
                .setSource("tok_visa").build());
        BalanceTransaction txn = stripe.v1().balanceTransactions().retrieve(ch.getBalanceTransaction());
        assertThat(txn.getFee()).isEqualTo(320L);
        assertThat(txn.getNet()).isEqualTo(9680L);

        Refund r = stripe.v1().refunds().create(RefundCreateParams.builder().setCharge(ch.getId()).setAmount(2500L)
                .build());
        Refund expanded = stripe.v1().refunds().retrieve(r.getId(), RefundRetrieveParams.builder()
                .addExpand("balance_transaction").build());
        BalanceTransaction rt = expanded.getBalanceTransactionObject();
        assertThat(rt.getAmount()).isEqualTo(-2500L);
        assertThat(rt.getFee()).isZero();
        assertThat(rt.getNet()).isEqualTo(-2500L);
        assertThat(rt.getType()).isEqualTo("refund");
        assertThat(rt.getSource()).isEqualTo(r.getId());
        assertThat(rt.getStatus()).isEqualTo("available");

        Balance after = stripe.v1().balance().retrieve();
        assertThat(amount(after.getPending(), "cad")).isEqualTo(9680L);
        assertThat(amount(after.getAvailable(), "cad")).isEqualTo(-2500L);

        List<String> types = new ArrayList<>();
        stripe.v1().balanceTransactions().list(BalanceTransactionListParams.builder().setCurrency("cad").build())
                .getData().forEach(t -> types.add(t.getType()));
        assertThat(types).containsExactly("refund", "charge");

        // two days on, the charge's funds are available
        emulator.advanceClock(3 * 86400);
        assertThat(stripe.v1().balanceTransactions().retrieve(txn.getId()).getStatus()).isEqualTo("available");
        Balance later = stripe.v1().balance().retrieve();
        assertThat(amount(later.getAvailable(), "cad")).isEqualTo(9680L - 2500L);
        assertThat(amount(later.getPending(), "cad")).isZero();
    }

    static long amount(List<? extends com.stripe.model.StripeObject> funds, String currency) {
        long sum = 0;
        for (com.stripe.model.StripeObject f : funds) {
            com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(f.toJson()).getAsJsonObject();
            if (o.get("currency").getAsString().equals(currency)) {
                sum += o.get("amount").getAsLong();
            }
        }
        return sum;
    }

    @Test
    void disputeWithdrawsTheAmountAndTheFee() throws Exception {
        PaymentIntent pi = paid(5000, "usd", "pm_card_createDispute");
        List<Dispute> found = new ArrayList<>();
        await("dispute", () -> {
            try {
                found.addAll(stripe.v1().disputes().list(DisputeListParams.builder().setPaymentIntent(pi.getId())
                        .build()).getData());
                return !found.isEmpty();
            } catch (Exception e) {
                return false;
            }
        });
        BalanceTransaction t = found.get(0).getBalanceTransactions().get(0);
        assertThat(t.getAmount()).isEqualTo(-5000L);
        assertThat(t.getFee()).isEqualTo(1500L);
        assertThat(t.getNet()).isEqualTo(-6500L);
        assertThat(t.getReportingCategory()).isEqualTo("dispute");
        assertThat(stripe.v1().balanceTransactions().retrieve(t.getId()).getSource())
                .isEqualTo(found.get(0).getId());
    }
}
