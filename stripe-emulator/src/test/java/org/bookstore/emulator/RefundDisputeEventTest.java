package org.bookstore.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.exception.InvalidRequestException;
import com.stripe.model.Charge;
import com.stripe.model.Dispute;
import com.stripe.model.Event;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.model.StripeObject;
import com.stripe.net.Webhook;
import com.stripe.param.ChargeRetrieveParams;
import com.stripe.param.ChargeUpdateParams;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.CustomerUpdateParams;
import com.stripe.param.DisputeListParams;
import com.stripe.param.DisputeUpdateParams;
import com.stripe.param.EventListParams;
import com.stripe.param.PaymentIntentCaptureParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.RefundListParams;
import com.stripe.param.checkout.SessionCreateParams;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RefundDisputeEventTest extends EmulatorTestBase {

    static PaymentIntent paid(String pm, long amount) throws Exception {
        return stripe.v1().paymentIntents().create(PaymentIntentCreateParams.builder().setAmount(amount)
                .setCurrency("usd").setPaymentMethod(pm).setConfirm(true).setReturnUrl("https://x.example").build());
    }

    @Test
    void fullAndPartialRefunds() throws Exception {
        PaymentIntent pi = paid("pm_card_visa", 5000);
        Refund part = stripe.v1().refunds().create(RefundCreateParams.builder().setPaymentIntent(pi.getId())
                .setAmount(1500L).setReason(RefundCreateParams.Reason.REQUESTED_BY_CUSTOMER).build());
        assertThat(part.getId()).startsWith("re_");
        assertThat(part.getStatus()).isEqualTo("succeeded");
        assertThat(part.getCharge()).isEqualTo(pi.getLatestCharge());
        Charge ch = stripe.v1().charges().retrieve(pi.getLatestCharge());
        assertThat(ch.getAmountRefunded()).isEqualTo(1500L);
        assertThat(ch.getRefunded()).isFalse();
        assertThatThrownBy(() -> stripe.v1().refunds().create(RefundCreateParams.builder()
                .setCharge(ch.getId()).setAmount(4000L).build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getParam())
                        .isEqualTo("amount"));
        Refund rest = stripe.v1().refunds().create(RefundCreateParams.builder().setCharge(ch.getId()).build());
        assertThat(rest.getAmount()).isEqualTo(3500L);
        Charge after = stripe.v1().charges().retrieve(ch.getId(), ChargeRetrieveParams.builder()
                .addExpand("refunds").build());
        assertThat(after.getRefunded()).isTrue();
        assertThat(after.getAmountRefunded()).isEqualTo(5000L);
        assertThat(after.getRefunds().getData()).hasSize(2);
        assertThat(stripe.v1().refunds().list(RefundListParams.builder().setCharge(ch.getId()).build()).getData())
                .hasSize(2);
        assertThatThrownBy(() -> stripe.v1().refunds().create(RefundCreateParams.builder().setCharge(ch.getId())
                .build())).isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getCode())
                        .isEqualTo("charge_already_refunded"));
        assertThatThrownBy(() -> stripe.v1().refunds().cancel(rest.getId()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("requires_action");
    }

    @Test
    void pendingRefundThenSucceeds() throws Exception {
        PaymentIntent pi = paid("pm_card_pendingRefund", 2000);
        Refund r = stripe.v1().refunds().create(RefundCreateParams.builder().setPaymentIntent(pi.getId()).build());
        assertThat(r.getStatus()).isEqualTo("pending");
        await("refund succeeded", () -> status(r.getId()).equals("succeeded"));
        assertThat(typesFor(r.getId())).contains("refund.created", "charge.refund.updated", "refund.updated");
    }

    @Test
    void refundSucceedsThenFails() throws Exception {
        PaymentIntent pi = paid("pm_card_refundFail", 2000);
        Refund r = stripe.v1().refunds().create(RefundCreateParams.builder().setPaymentIntent(pi.getId()).build());
        assertThat(r.getStatus()).isEqualTo("succeeded");
        await("refund failed", () -> status(r.getId()).equals("failed"));
        assertThat(typesFor(r.getId())).contains("refund.failed", "charge.refund.updated");
        assertThat(stripe.v1().charges().retrieve(pi.getLatestCharge()).getAmountRefunded()).isZero();
    }

    @Test
    void disputeCardOpensAFraudulentDispute() throws Exception {
        PaymentIntent pi = paid("pm_card_createDispute", 4200);
        await("dispute", () -> {
            try {
                return !stripe.v1().disputes().list(DisputeListParams.builder().setPaymentIntent(pi.getId()).build())
                        .getData().isEmpty();
            } catch (Exception e) {
                return false;
            }
        });
        Dispute d = stripe.v1().disputes().list(DisputeListParams.builder().setPaymentIntent(pi.getId()).build())
                .getData().get(0);
        assertThat(d.getId()).startsWith("dp_");
        assertThat(d.getReason()).isEqualTo("fraudulent");
        assertThat(d.getStatus()).isEqualTo("needs_response");
        assertThat(d.getAmount()).isEqualTo(4200L);
        assertThat(d.getCharge()).isEqualTo(pi.getLatestCharge());
        assertThat(stripe.v1().charges().retrieve(pi.getLatestCharge()).getDisputed()).isTrue();
        Dispute upd = stripe.v1().disputes().update(d.getId(), DisputeUpdateParams.builder()
                .setEvidence(DisputeUpdateParams.Evidence.builder().setProductDescription("A book")
                        .setUncategorizedText("winning_evidence").build()).setSubmit(true).build());
        assertThat(upd.getEvidence().getProductDescription()).isEqualTo("A book");
        assertThat(upd.getStatus()).isEqualTo("under_review");
        await("won", () -> {
            try {
                return stripe.v1().disputes().retrieve(d.getId()).getStatus().equals("won");
            } catch (Exception e) {
                return false;
            }
        });
        PaymentIntent pi2 = paid("pm_card_createDispute", 1000);
        await("second dispute", () -> {
            try {
                return !stripe.v1().disputes().list(DisputeListParams.builder().setCharge(pi2.getLatestCharge())
                        .build()).getData().isEmpty();
            } catch (Exception e) {
                return false;
            }
        });
        Dispute d2 = stripe.v1().disputes().list(DisputeListParams.builder().setCharge(pi2.getLatestCharge())
                .build()).getData().get(0);
        assertThat(stripe.v1().disputes().close(d2.getId()).getStatus()).isEqualTo("lost");
        assertThat(typesFor(d.getId())).contains("charge.dispute.created", "charge.dispute.funds_withdrawn",
                "charge.dispute.updated", "charge.dispute.funds_reinstated", "charge.dispute.closed");
        assertThat(stripe.v1().disputes().retrieve(d.getId()).getBalanceTransactions()).hasSize(2);
    }

    /**
     * Drives every flow, receives every event type through a webhook and checks stripe-java can verify and
     * deserialize each one.
     */
    @Test
    void everyEventTypeVerifiesAndDeserializes() throws Exception {
        emulator.reset();
        try (Receiver receiver = new Receiver()) {
            String secret = emulator.addWebhookEndpoint(receiver.url()).secret();
            var c = stripe.v1().customers().create(CustomerCreateParams.builder().setEmail("e@example.com").build());
            stripe.v1().customers().update(c.getId(), CustomerUpdateParams.builder().setName("E").build());
            var c2 = stripe.v1().customers().create(CustomerCreateParams.builder().build());
            var pm = stripe.v1().paymentMethods().attach("pm_card_visa",
                    com.stripe.param.PaymentMethodAttachParams.builder().setCustomer(c2.getId()).build());
            stripe.v1().paymentMethods().update(pm.getId(), com.stripe.param.PaymentMethodUpdateParams.builder()
                    .putMetadata("k", "v").build());
            stripe.v1().paymentMethods().detach(pm.getId());
            var product = stripe.v1().products().create(com.stripe.param.ProductCreateParams.builder()
                    .setName("Events").build());
            stripe.v1().products().update(product.getId(), com.stripe.param.ProductUpdateParams.builder()
                    .setDescription("d").build());
            var price = stripe.v1().prices().create(com.stripe.param.PriceCreateParams.builder().setCurrency("usd")
                    .setUnitAmount(100L).setProduct(product.getId()).build());
            stripe.v1().prices().update(price.getId(), com.stripe.param.PriceUpdateParams.builder()
                    .setNickname("n").build());
            stripe.v1().customers().delete(c.getId());
            PaymentIntent ok = paid("pm_card_visa", 1000);
            stripe.v1().charges().update(ok.getLatestCharge(), ChargeUpdateParams.builder().putMetadata("a", "b")
                    .build());
            stripe.v1().refunds().create(RefundCreateParams.builder().setPaymentIntent(ok.getId()).setAmount(100L)
                    .build());
            try {
                paid("pm_card_visa_chargeDeclined", 1000);
            } catch (com.stripe.exception.CardException expected) {
                // charge.failed, payment_intent.payment_failed
            }
            paid("pm_card_threeDSecure2Required", 1000);
            PaymentIntent manual = stripe.v1().paymentIntents().create(PaymentIntentCreateParams.builder()
                    .setAmount(1000L).setCurrency("usd").setPaymentMethod("pm_card_visa").setConfirm(true)
                    .setCaptureMethod(PaymentIntentCreateParams.CaptureMethod.MANUAL)
                    .setReturnUrl("https://x.example").build());
            stripe.v1().paymentIntents().capture(manual.getId(), PaymentIntentCaptureParams.builder().build());
            PaymentIntent toCancel = stripe.v1().paymentIntents().create(PaymentIntentCreateParams.builder()
                    .setAmount(1000L).setCurrency("usd").build());
            stripe.v1().paymentIntents().cancel(toCancel.getId());
            PaymentIntent pending = paid("pm_card_pendingRefund", 1000);
            stripe.v1().refunds().create(RefundCreateParams.builder().setPaymentIntent(pending.getId()).build());
            PaymentIntent failing = paid("pm_card_refundFail", 1000);
            stripe.v1().refunds().create(RefundCreateParams.builder().setPaymentIntent(failing.getId()).build());
            PaymentIntent disputed = paid("pm_card_createDispute", 1000);
            var session = stripe.v1().checkout().sessions().create(CheckoutSessionTest.params().build());
            CheckoutSessionTest.pay(session, "4242424242424242");
            var expiring = stripe.v1().checkout().sessions().create(CheckoutSessionTest.params().build());
            stripe.v1().checkout().sessions().expire(expiring.getId());
            await("dispute", () -> emulator.eventsJson().stream().anyMatch(e -> e.contains("charge.dispute.created")));
            String disputeId = stripe.v1().disputes().list(DisputeListParams.builder()
                    .setPaymentIntent(disputed.getId()).build()).getData().get(0).getId();
            stripe.v1().disputes().update(disputeId, DisputeUpdateParams.builder().putMetadata("k", "v").build());
            stripe.v1().disputes().close(disputeId);
            await("refund.failed", () -> emulator.eventsJson().stream().anyMatch(e -> e.contains("\"refund.failed\"")));

            Set<String> expected = Set.of("customer.created", "customer.updated", "customer.deleted",
                    "payment_intent.created", "payment_intent.succeeded", "payment_intent.payment_failed",
                    "payment_intent.requires_action", "payment_intent.canceled",
                    "payment_intent.amount_capturable_updated", "charge.succeeded", "charge.failed",
                    "charge.captured", "charge.updated", "charge.refunded", "refund.created", "refund.updated",
                    "refund.failed", "charge.refund.updated", "charge.dispute.created", "charge.dispute.updated",
                    "charge.dispute.closed", "checkout.session.completed", "checkout.session.expired",
                    "product.created", "product.updated", "price.created", "price.updated",
                    "payment_method.attached", "payment_method.updated", "payment_method.detached");
            int total = emulator.eventsJson().size();
            await("all delivered", () -> receiver.received().size() >= total);
            Set<String> seen = new HashSet<>();
            for (Receiver.Delivery d : receiver.received()) {
                Event e = Webhook.constructEvent(d.body(), d.signature(), secret);
                StripeObject obj = e.getDataObjectDeserializer().getObject().orElseThrow(
                        () -> new AssertionError("cannot deserialize " + e.getType()));
                assertThat(obj).isNotNull();
                seen.add(e.getType());
            }
            assertThat(seen).containsAll(expected);
            // the same through the events API, with the type filter
            for (String type : expected) {
                List<Event> events = stripe.v1().events().list(EventListParams.builder().setType(type).build())
                        .getData();
                assertThat(events).as(type).isNotEmpty().allMatch(e -> e.getType().equals(type));
                assertThat(events.get(0).getDataObjectDeserializer().getObject()).as(type).isPresent();
                if (type.equals("customer.updated")) {
                    assertThat(events.get(0).getData().getPreviousAttributes()).containsKey("name");
                }
            }
            Event one = stripe.v1().events().retrieve(stripe.v1().events().list().getData().get(0).getId());
            assertThat(one.getObject()).isEqualTo("event");
        }
    }

    private static String status(String refundId) {
        try {
            return stripe.v1().refunds().retrieve(refundId).getStatus();
        } catch (Exception e) {
            return "";
        }
    }

    private static List<String> typesFor(String id) {
        return emulator.eventsJson().stream().filter(e -> e.contains(id))
                .map(e -> Json.read(e).path("type").asText()).collect(Collectors.toList());
    }

    @Test
    void checkoutSessionParamsHelperIsReusable() {
        assertThat(SessionCreateParams.Mode.PAYMENT).isNotNull();
    }
}
