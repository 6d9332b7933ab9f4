package org.bookstore.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** Disputes: opened by the test cards that dispute, answered with evidence, won or lost. */
final class Disputes extends Resource {
    Disputes(Engine engine) {
        super(engine);
    }

    void open(String chargeId) {
        ObjectNode ch = table("charge").get(chargeId);
        if (ch == null) {
            return;
        }
        ObjectNode d = Json.obj();
        d.put("id", Ids.id("dp"));
        d.put("object", "dispute");
        d.put("amount", ch.path("amount_captured").asLong());
        d.putArray("balance_transactions");
        d.put("charge", chargeId);
        d.put("created", now());
        d.put("currency", ch.path("currency").asText());
        d.putArray("enhanced_eligibility_types");
        ObjectNode ev = d.putObject("evidence");
        for (String f : new String[] {"access_activity_log", "billing_address", "cancellation_policy",
            "cancellation_policy_disclosure", "cancellation_rebuttal", "customer_communication",
            "customer_email_address", "customer_name", "customer_purchase_ip", "customer_signature",
            "duplicate_charge_documentation", "duplicate_charge_explanation", "duplicate_charge_id",
            "product_description", "receipt", "refund_policy", "refund_policy_disclosure",
            "refund_refusal_explanation", "service_date", "service_documentation", "shipping_address",
            "shipping_carrier", "shipping_date", "shipping_documentation", "shipping_tracking_number",
            "uncategorized_file", "uncategorized_text"}) {
            ev.putNull(f);
        }
        ev.putObject("enhanced_evidence");
        ObjectNode ed = d.putObject("evidence_details");
        ed.put("due_by", now() + 7 * 86400);
        ed.putObject("enhanced_eligibility");
        ed.put("has_evidence", false);
        ed.put("past_due", false);
        ed.put("submission_count", 0);
        d.put("is_charge_refundable", false);
        d.put("livemode", false);
        d.putObject("metadata");
        d.set("payment_intent", ch.get("payment_intent").deepCopy());
        ObjectNode pmd = d.putObject("payment_method_details");
        ObjectNode c = pmd.putObject("card");
        c.set("brand", ch.path("payment_method_details").path("card").get("brand"));
        c.put("case_type", "chargeback");
        c.put("network_reason_code", "10.4");
        pmd.put("type", "card");
        d.put("reason", "fraudulent");
        d.put("status", "needs_response");
        store(d);
        ch.put("disputed", true);
        emit("charge.dispute.created", d, null);
        ((ArrayNode) d.get("balance_transactions")).add(engine.balanceTransactions.forDispute(d,
                -d.path("amount").asLong(), "Chargeback withdrawal for " + chargeId).deepCopy());
        emit("charge.dispute.funds_withdrawn", d, null);
    }

    ObjectNode retrieve(String id) {
        return get("dispute", id, "id").deepCopy();
    }

    ObjectNode update(String id, Params p) {
        p.allow("evidence[*]", "metadata[*]", "submit", "expand[]");
        ObjectNode d = get("dispute", id, "id");
        requireOpen(d);
        ObjectNode before = d.deepCopy();
        Map<String, Object> ev = p.map("evidence");
        if (ev != null) {
            ObjectNode e = (ObjectNode) d.get("evidence");
            for (Map.Entry<String, Object> x : ev.entrySet()) {
                if (!e.has(x.getKey())) {
                    throw StripeError.unknown("evidence[" + x.getKey() + "]");
                }
                if (x.getValue() instanceof String) {
                    e.put(x.getKey(), (String) x.getValue());
                }
            }
            ((ObjectNode) d.get("evidence_details")).put("has_evidence", true);
        }
        Metadata.merge(d, p.stringMap("metadata"));
        Boolean submit = p.bool("submit");
        if (submit == null || submit) {
            ObjectNode ed = (ObjectNode) d.get("evidence_details");
            ed.put("submission_count", ed.path("submission_count").asInt() + 1);
            d.put("status", "under_review");
            String text = d.path("evidence").path("uncategorized_text").asText("");
            String did = d.path("id").asText();
            if (text.contains("winning_evidence")) {
                later(() -> close(did, "won"));
            } else if (text.contains("losing_evidence")) {
                later(() -> close(did, "lost"));
            }
        }
        updated("charge.dispute.updated", d, before);
        return d.deepCopy();
    }

    private void close(String id, String status) {
        ObjectNode d = table("dispute").get(id);
        if (d == null || closed(d)) {
            return;
        }
        ObjectNode before = d.deepCopy();
        d.put("status", status);
        if (status.equals("won")) {
            ((ArrayNode) d.get("balance_transactions")).add(engine.balanceTransactions.forDispute(d,
                    d.path("amount").asLong(), "Chargeback reversal for " + d.path("charge").asText()).deepCopy());
            emit("charge.dispute.funds_reinstated", d, null);
        }
        emit("charge.dispute.closed", d, Json.diff(before, d));
    }

    private static boolean closed(ObjectNode d) {
        String st = d.path("status").asText();
        return st.equals("won") || st.equals("lost");
    }

    private static void requireOpen(ObjectNode d) {
        if (closed(d)) {
            throw StripeError.invalid("This dispute is already closed.", null);
        }
    }

    ObjectNode close(String id, Params p) {
        p.allow("expand[]");
        ObjectNode d = get("dispute", id, "id");
        requireOpen(d);
        close(id, "lost");
        return d.deepCopy();
    }

    ObjectNode list(Params p) {
        p.allow("limit", "starting_after", "ending_before", "charge", "payment_intent", "created", "created[*]",
                "expand[]");
        String charge = p.str("charge");
        String pi = p.str("payment_intent");
        return list("dispute", "/v1/disputes", p, o -> (charge == null || charge.equals(o.path("charge").asText()))
                && (pi == null || pi.equals(o.path("payment_intent").asText())));
    }
}
