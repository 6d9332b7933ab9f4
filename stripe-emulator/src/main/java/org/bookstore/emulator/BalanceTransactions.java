package org.bookstore.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Balance transactions (what each charge, refund and dispute does to the balance, with the fee) and the balance
 * they add up to. Charges become available two days after they are created, as on a standard US schedule.
 */
final class BalanceTransactions extends Resource {
    /** Days before a charge's funds are available. */
    static final long AVAILABLE_AFTER_DAYS = 2;
    /** Stripe's dispute fee in the emulator: 15.00 in the dispute's currency's minor units. */
    static final long DISPUTE_FEE = 1500;

    BalanceTransactions(Engine engine) {
        super(engine);
    }

    /** The transaction for a captured charge: the amount captured less Stripe's card fee. */
    String forCharge(ObjectNode ch, long amount) {
        String cur = ch.path("currency").asText();
        ObjectNode t = create(amount, Money.cardFee(amount, cur), cur, "charge", "charge", ch.path("id").asText(),
                ch.path("description").isTextual() ? ch.path("description").asText() : null,
                midnight(now()) + AVAILABLE_AFTER_DAYS * 86400);
        return t.path("id").asText();
    }

    /** A refund takes its amount back at once; Stripe keeps the original fee. */
    String forRefund(ObjectNode refund) {
        ObjectNode t = create(-refund.path("amount").asLong(), 0, refund.path("currency").asText(), "refund",
                "refund", refund.path("id").asText(), "REFUND FOR CHARGE", now());
        return t.path("id").asText();
    }

    /** A refund that failed gives the amount back. */
    String forRefundFailure(ObjectNode refund) {
        ObjectNode t = create(refund.path("amount").asLong(), 0, refund.path("currency").asText(), "refund_failure",
                "refund_failure", refund.path("id").asText(), "REFUND FAILURE", now());
        return t.path("id").asText();
    }

    /** A dispute's withdrawal ({@code amount} < 0, with the dispute fee) or reinstatement (> 0, fee returned). */
    ObjectNode forDispute(ObjectNode dispute, long amount, String description) {
        long fee = amount < 0 ? DISPUTE_FEE : -DISPUTE_FEE;
        return create(amount, fee, dispute.path("currency").asText(), "adjustment",
                amount < 0 ? "dispute" : "dispute_reversal", dispute.path("id").asText(), description, now());
    }

    private static long midnight(long t) {
        return t - Math.floorMod(t, 86400);
    }

    private ObjectNode create(long amount, long fee, String currency, String type, String category, String source,
            String description, long availableOn) {
        ObjectNode t = Json.obj();
        String id = Ids.id("txn");
        t.put("id", id);
        t.put("object", "balance_transaction");
        t.put("amount", amount);
        t.put("available_on", availableOn);
        t.put("balance_type", "payments");
        t.put("created", now());
        t.put("currency", currency);
        Json.putNullable(t, "description", description);
        t.putNull("exchange_rate");
        t.put("fee", fee);
        ArrayNode details = t.putArray("fee_details");
        if (fee != 0) {
            ObjectNode d = details.addObject();
            d.put("amount", fee);
            d.putNull("application");
            d.put("currency", currency);
            d.put("description", type.equals("adjustment") ? "Dispute fee" : "Stripe processing fees");
            d.put("type", "stripe_fee");
        }
        t.put("net", amount - fee);
        t.put("reporting_category", category);
        t.put("source", source);
        boolean available = availableOn <= now();
        t.put("status", available ? "available" : "pending");
        t.put("type", type);
        store(t);
        if (!available) {
            becomesAvailable(id, availableOn);
        }
        return t;
    }

    private void becomesAvailable(String id, long availableOn) {
        engine.at(availableOn * 1000, () -> {
            ObjectNode o = table("balance_transaction").get(id);
            if (o != null) {
                o.put("status", "available");
            }
        });
    }

    /** After a state file is loaded: pending funds still become available on their day. */
    void restored() {
        for (ObjectNode t : table("balance_transaction").values()) {
            if (t.path("status").asText().equals("pending")) {
                becomesAvailable(t.path("id").asText(), t.path("available_on").asLong());
            }
        }
    }

    ObjectNode retrieve(String id) {
        return get("balance_transaction", id, "id").deepCopy();
    }

    ObjectNode list(Params p) {
        p.allow("limit", "starting_after", "ending_before", "created", "created[*]", "currency", "source", "type",
                "expand[]");
        String currency = p.str("currency");
        if (currency != null) {
            Money.validateCurrency(currency, "currency");
        }
        String source = p.str("source");
        String type = p.str("type");
        return list("balance_transaction", "/v1/balance_transactions", p,
                o -> (currency == null || currency.equals(o.path("currency").asText()))
                        && (source == null || source.equals(o.path("source").asText()))
                        && (type == null || type.equals(o.path("type").asText())));
    }

    /** {@code GET /v1/balance}: every transaction's net, by currency and by available or pending. */
    ObjectNode balance(Params p) {
        p.allow("expand[]");
        Map<String, long[]> sums = new LinkedHashMap<>();
        for (ObjectNode t : table("balance_transaction").values()) {
            long[] s = sums.computeIfAbsent(t.path("currency").asText(), c -> new long[2]);
            s[t.path("status").asText().equals("available") ? 0 : 1] += t.path("net").asLong();
        }
        if (sums.isEmpty()) {
            sums.put("usd", new long[2]);
        }
        ObjectNode b = Json.obj();
        b.put("object", "balance");
        ArrayNode available = b.putArray("available");
        ArrayNode reserved = b.putArray("connect_reserved");
        ArrayNode pending = b.putArray("pending");
        sums.forEach((cur, s) -> {
            fund(available.addObject(), s[0], cur, true);
            fund(reserved.addObject(), 0, cur, false);
            fund(pending.addObject(), s[1], cur, true);
        });
        b.put("livemode", false);
        return b;
    }

    private static void fund(ObjectNode f, long amount, String currency, boolean bySource) {
        f.put("amount", amount);
        f.put("currency", currency);
        if (bySource) {
            f.putObject("source_types").put("card", amount);
        }
    }
}
