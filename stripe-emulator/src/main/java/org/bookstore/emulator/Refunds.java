package org.bookstore.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Refunds of a charge, with the test cards' delayed and failing refunds. */
final class Refunds extends Resource {
    Refunds(Engine engine) {
        super(engine);
    }

    ObjectNode create(Params p) {
        p.allow("charge", "payment_intent", "amount", "reason", "metadata[*]", "expand[]");
        ObjectNode ch;
        if (p.has("charge")) {
            ch = get("charge", p.str("charge"), "charge");
        } else if (p.has("payment_intent")) {
            ObjectNode pi = engine.paymentIntents.pi(p.str("payment_intent"), "payment_intent");
            if (pi.path("latest_charge").isNull() || !pi.path("status").asText().equals("succeeded")) {
                throw StripeError.invalid("This PaymentIntent does not have a successful charge to refund.",
                        "payment_intent");
            }
            ch = get("charge", pi.path("latest_charge").asText(), "payment_intent");
        } else {
            throw StripeError.invalid("One of the following params should be provided for this request: "
                    + "payment_intent or charge.", null);
        }
        if (!ch.path("status").asText().equals("succeeded") || !ch.path("captured").asBoolean()) {
            throw StripeError.invalid("charge_not_refundable", "Charge " + ch.path("id").asText()
                    + " cannot be refunded because it has not been captured.", "charge");
        }
        // a partial capture already counts its released remainder as refunded
        long remaining = ch.path("amount").asLong() - ch.path("amount_refunded").asLong();
        if (ch.path("refunded").asBoolean() || remaining <= 0) {
            throw StripeError.invalid("charge_already_refunded", "Charge " + ch.path("id").asText()
                    + " has already been refunded.", "charge");
        }
        if (ch.path("disputed").asBoolean()) {
            throw StripeError.invalid("charge_disputed", "Charge " + ch.path("id").asText()
                    + " has been charged back; cannot issue a refund.", "charge");
        }
        Long amt = p.lng("amount");
        long amount = amt == null ? remaining : amt;
        String cur = ch.path("currency").asText();
        if (amount <= 0) {
            throw StripeError.invalid("Invalid positive integer", "amount");
        }
        if (amount > remaining) {
            throw StripeError.invalid("amount_too_large", "Refund amount (" + Money.format(amount, cur)
                    + ") is greater than unrefunded amount on charge (" + Money.format(remaining, cur) + ")", "amount");
        }
        String reason = p.str("reason");
        if (reason != null) {
            Params.checkEnum(reason, "reason", "duplicate", "fraudulent", "requested_by_customer");
        }
        String number = engine.paymentMethods.numberOf(ch.path("payment_method").asText(), "");
        Cards.Behaviour b = Cards.behaviour(number);
        ObjectNode r = Json.obj();
        r.put("id", Ids.id("re"));
        r.put("object", "refund");
        r.put("amount", amount);
        r.putNull("balance_transaction"); // set once stored
        r.put("charge", ch.path("id").asText());
        r.put("created", now());
        r.put("currency", cur);
        ObjectNode dd = r.putObject("destination_details");
        ObjectNode ddc = dd.putObject("card");
        ddc.putNull("reference");
        ddc.put("reference_status", "pending");
        ddc.putNull("reference_type");
        ddc.put("type", "refund");
        dd.put("type", "card");
        r.putObject("metadata");
        Metadata.merge(r, p.stringMap("metadata"));
        r.set("customer", ch.get("customer").deepCopy());
        r.putNull("customer_account");
        r.set("payment_intent", ch.get("payment_intent").deepCopy());
        r.set("payment_method", ch.get("payment_method").deepCopy());
        Json.putNullable(r, "reason", reason);
        r.putNull("receipt_number");
        r.putNull("source_transfer_reversal");
        r.put("status", "pending".equals(b.refund) ? "pending" : "succeeded");
        r.putNull("transfer_reversal");
        store(r);
        r.put("balance_transaction", engine.balanceTransactions.forRefund(r));
        ObjectNode chBefore = ch.deepCopy();
        ch.put("amount_refunded", ch.path("amount_refunded").asLong() + amount);
        ch.put("refunded", ch.path("amount_refunded").asLong() >= ch.path("amount").asLong());
        emit("refund.created", r, null);
        emit("charge.refunded", ch, Json.diff(chBefore, ch));
        String rid = r.path("id").asText();
        if ("pending".equals(b.refund)) {
            later(() -> transition(rid, "succeeded"));
        } else if ("fail".equals(b.refund)) {
            later(() -> transition(rid, "failed"));
        }
        return r.deepCopy();
    }

    private void transition(String refundId, String status) {
        ObjectNode r = table("refund").get(refundId);
        if (r == null) {
            return;
        }
        ObjectNode before = r.deepCopy();
        r.put("status", status);
        if (status.equals("failed")) {
            r.put("failure_reason", "expired_or_canceled_card");
            r.put("failure_balance_transaction", engine.balanceTransactions.forRefundFailure(r));
            unrefund(r);
            ObjectNode prev = Json.diff(before, r);
            emit("refund.failed", r, prev);
            updated(r, prev);
        } else {
            updated(r, Json.diff(before, r));
        }
    }

    /** A refund that did not go through gives its amount back to the charge. */
    private void unrefund(ObjectNode r) {
        ObjectNode ch = table("charge").get(r.path("charge").asText());
        if (ch != null) {
            ch.put("amount_refunded", Math.max(0, ch.path("amount_refunded").asLong() - r.path("amount").asLong()));
            ch.put("refunded", false);
        }
    }

    /** Stripe announces a refund's change twice: as the refund's and as the charge's. */
    private void updated(ObjectNode r, ObjectNode prev) {
        emit("refund.updated", r, prev);
        emit("charge.refund.updated", r, prev);
    }

    ObjectNode retrieve(String id) {
        return get("refund", id, "id").deepCopy();
    }

    ObjectNode update(String id, Params p) {
        p.allow("metadata[*]", "expand[]");
        ObjectNode r = get("refund", id, "id");
        ObjectNode before = r.deepCopy();
        Metadata.merge(r, p.stringMap("metadata"));
        ObjectNode prev = Json.diff(before, r);
        if (prev.size() > 0) {
            updated(r, prev);
        }
        return r.deepCopy();
    }

    ObjectNode cancel(String id, Params p) {
        p.allow("expand[]");
        ObjectNode r = get("refund", id, "id");
        if (!r.path("status").asText().equals("requires_action")) {
            throw StripeError.invalid("Refund " + id + " cannot be canceled because it has a status of "
                    + r.path("status").asText() + ". Only a refund with a status of `requires_action` can be "
                    + "canceled.", null);
        }
        ObjectNode before = r.deepCopy();
        r.put("status", "canceled");
        unrefund(r);
        updated(r, Json.diff(before, r));
        return r.deepCopy();
    }

    ObjectNode list(Params p, String chargeFromPath) {
        p.allow("limit", "starting_after", "ending_before", "charge", "payment_intent", "created", "created[*]",
                "expand[]");
        String charge = chargeFromPath != null ? chargeFromPath : p.str("charge");
        String pi = p.str("payment_intent");
        String url = chargeFromPath != null ? "/v1/charges/" + chargeFromPath + "/refunds" : "/v1/refunds";
        return list("refund", url, p, o -> (charge == null || charge.equals(o.path("charge").asText()))
                && (pi == null || pi.equals(o.path("payment_intent").asText())));
    }
}
