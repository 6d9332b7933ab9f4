package org.bookstore.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** SEPA Direct Debit payments: processing at once, settled (or failed) later as Stripe's test IBANs do. */
final class SepaDebits extends Resource {
    SepaDebits(Engine engine) {
        super(engine);
    }

    /** The debit starts processing; test IBANs ending in 3001 fail later, 3002 succeed and are then disputed. */
    void debit(ObjectNode pi, ObjectNode pm) {
        if (!pi.path("currency").asText().equals("eur")) {
            throw StripeError.invalid("The currency provided (" + pi.path("currency").asText() + ") is invalid. "
                    + "Payments with sepa_debit support the following currencies: eur.", "payment_method");
        }
        String iban = engine.paymentMethods.numberOf(pm.path("id").asText(), "iban:").substring(5);
        ObjectNode before = pi.deepCopy();
        ObjectNode ch = engine.charges.newCharge(pi, pm, null, false, false);
        ch.put("status", "pending");
        ch.put("paid", false);
        // the funds move only when the debit settles
        engine.remove("balance_transaction", ch.path("balance_transaction").asText());
        ch.putNull("balance_transaction");
        ObjectNode pmd = ch.putObject("payment_method_details");
        ObjectNode sd = pmd.putObject("sepa_debit");
        sd.setAll((ObjectNode) pm.get("sepa_debit").deepCopy());
        sd.remove("generated_from");
        sd.put("mandate", Ids.id("mandate"));
        pmd.put("type", "sepa_debit");
        pi.put("latest_charge", ch.path("id").asText());
        pi.put("payment_method", pm.path("id").asText());
        pi.put("status", "processing");
        pi.putNull("next_action");
        emit("charge.pending", ch, null);
        emit("payment_intent.processing", pi, Json.diff(before, pi));
        engine.checkoutSessions.onPaymentProcessing(pi);
        String piId = pi.path("id").asText();
        String chId = ch.path("id").asText();
        boolean fails = iban.endsWith("3001");
        boolean dispute = iban.endsWith("3002");
        later(() -> settle(piId, chId, !fails, dispute));
    }

    private void settle(String piId, String chId, boolean ok, boolean dispute) {
        ObjectNode pi = table("payment_intent").get(piId);
        ObjectNode ch = table("charge").get(chId);
        if (pi == null || ch == null || !pi.path("status").asText().equals("processing")) {
            return;
        }
        ObjectNode before = pi.deepCopy();
        ObjectNode chBefore = ch.deepCopy();
        if (ok) {
            ch.put("status", "succeeded");
            ch.put("paid", true);
            ch.put("balance_transaction", engine.balanceTransactions.forCharge(ch, ch.path("amount").asLong()));
            pi.put("status", "succeeded");
            pi.put("amount_received", pi.path("amount").asLong());
            emit("charge.succeeded", ch, Json.diff(chBefore, ch));
            emit("payment_intent.succeeded", pi, Json.diff(before, pi));
            engine.checkoutSessions.onPaymentSucceeded(pi);
            if (dispute) {
                later(() -> engine.disputes.open(chId));
            }
        } else {
            ch.put("status", "failed");
            ch.put("failure_code", "insufficient_funds");
            ch.put("failure_message", "The customer's account has insufficient funds to cover this payment.");
            ObjectNode pm = table("payment_method").get(pi.path("payment_method").asText());
            PaymentIntents.paymentFailed(pi, PaymentIntents.paymentError(chId,
                    "payment_intent_payment_attempt_failed", null,
                    "The latest payment attempt of this PaymentIntent has failed or been canceled, and the attached "
                            + "payment method has been removed. You can try confirming again with a new "
                            + "payment method.",
                    pm, "invalid_request_error"));
            emit("charge.failed", ch, Json.diff(chBefore, ch));
            emit("payment_intent.payment_failed", pi, Json.diff(before, pi));
            engine.checkoutSessions.onDelayedPaymentFailed(piId);
        }
    }
}
