package org.bookstore.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** PaymentIntents: create, update, confirm (card charge, 3-D Secure, SEPA debit), capture, cancel. */
final class PaymentIntents extends Resource {
    /** What a payment method given inline may carry: what {@link PaymentMethods#fromData} reads. */
    static final String[] PM_DATA = {"payment_method_data[type]", "payment_method_data[card][number]",
        "payment_method_data[card][exp_month]", "payment_method_data[card][exp_year]",
        "payment_method_data[card][cvc]", "payment_method_data[card][token]",
        "payment_method_data[billing_details][email]", "payment_method_data[billing_details][name]",
        "payment_method_data[billing_details][phone]", "payment_method_data[billing_details][address][*]",
        "payment_method_data[sepa_debit][iban]"};
    /** Every parameter honoured on create; anything else is refused as Stripe refuses unknown ones. */
    private static final String[] PI_CREATE = concat(PM_DATA, Json.SHIPPING_PARAMS, "amount", "currency",
        "automatic_payment_methods[enabled]", "automatic_payment_methods[allow_redirects]", "customer",
        "description", "metadata[*]", "payment_method", "payment_method_types[]", "confirm", "capture_method",
        "return_url", "receipt_email", "setup_future_usage", "statement_descriptor", "statement_descriptor_suffix",
        "off_session", "error_on_requires_action", "confirmation_method", "expand[]", "transfer_group",
        "use_stripe_sdk");

    static String[] concat(String[] a, String[] b, String... more) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length + more.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        System.arraycopy(more, 0, out, a.length + b.length, more.length);
        return out;
    }

    PaymentIntents(Engine engine) {
        super(engine);
    }

    ObjectNode create(Params p) {
        p.allow(PI_CREATE);
        long amount = p.reqLong("amount");
        String currency = p.req("currency").toLowerCase();
        Money.validateCurrency(currency, "currency");
        Money.validateAmount(amount, currency, "amount");
        if (p.has("automatic_payment_methods") && p.has("payment_method_types")) {
            throw StripeError.invalid("You may only specify one of these parameters: automatic_payment_methods, "
                    + "payment_method_types.", "automatic_payment_methods");
        }
        if (p.has("return_url") && !Boolean.TRUE.equals(p.bool("confirm"))) {
            throw StripeError.invalid("You cannot specify `return_url` unless you also specify `confirm=true`.",
                    "return_url");
        }
        String customer = p.str("customer");
        if (customer != null) {
            get("customer", customer, "customer");
        }
        ObjectNode pi = newPaymentIntent(amount, currency, customer, p.stringMap("metadata"), p.str("description"));
        String capture = p.str("capture_method");
        if (capture != null) {
            Params.checkEnum(capture, "capture_method", "automatic", "automatic_async", "manual");
            pi.put("capture_method", capture);
        }
        if (p.has("payment_method_types")) {
            ArrayNode types = pi.putArray("payment_method_types");
            p.strings("payment_method_types").forEach(types::add);
            pi.putNull("automatic_payment_methods");
            pi.putNull("payment_method_configuration_details");
        } else if (p.has("automatic_payment_methods")) {
            Boolean enabled = Params.bool(p.map("automatic_payment_methods"), "enabled",
                    "automatic_payment_methods[enabled]");
            ObjectNode apm = pi.putObject("automatic_payment_methods");
            apm.put("enabled", enabled == null || enabled);
            String ar = Params.str(p.map("automatic_payment_methods"), "allow_redirects");
            if (ar != null) {
                apm.put("allow_redirects", ar);
            }
        }
        if (p.has("receipt_email")) {
            pi.put("receipt_email", p.str("receipt_email"));
        }
        if (p.has("setup_future_usage")) {
            pi.put("setup_future_usage", p.str("setup_future_usage"));
        }
        if (p.has("statement_descriptor_suffix")) {
            StatementDescriptors.validateSuffix(p.str("statement_descriptor_suffix"), "statement_descriptor_suffix");
        }
        for (String f : new String[] {"statement_descriptor_suffix", "statement_descriptor", "transfer_group"}) {
            if (p.has(f)) {
                Json.putNullable(pi, f, p.str(f));
            }
        }
        String cm = p.str("confirmation_method");
        if (cm != null) {
            Params.checkEnum(cm, "confirmation_method", "automatic", "manual");
            pi.put("confirmation_method", cm);
        }
        if (p.has("shipping")) {
            pi.set("shipping", Json.shipping(p.map("shipping"), "shipping"));
        }
        if (p.has("payment_method")) {
            ObjectNode pm = engine.paymentMethods.resolve(p.str("payment_method"), "payment_method");
            pi.put("payment_method", pm.path("id").asText());
            pi.put("status", "requires_confirmation");
        }
        if (p.has("payment_method_data")) {
            ObjectNode pm = engine.paymentMethods.fromData(p.map("payment_method_data"));
            pi.put("payment_method", pm.path("id").asText());
            pi.put("status", "requires_confirmation");
        }
        if (Boolean.TRUE.equals(p.bool("confirm"))) {
            requireReturnUrl(pi, p.str("return_url"));
        }
        store(pi);
        emit("payment_intent.created", pi, null);
        if (Boolean.TRUE.equals(p.bool("confirm"))) {
            doConfirm(pi, p.str("return_url"), ConfirmOptions.of(p));
        } else if (p.has("off_session") || p.has("error_on_requires_action") || p.has("use_stripe_sdk")) {
            throw StripeError.invalid("You can only pass `" + (p.has("off_session") ? "off_session"
                    : p.has("use_stripe_sdk") ? "use_stripe_sdk" : "error_on_requires_action")
                    + "` when `confirm=true`.", p.has("off_session") ? "off_session" : null);
        }
        return pi.deepCopy();
    }

    private static List<String> strings(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(x -> out.add(x.asText()));
        return out;
    }

    ObjectNode newPaymentIntent(long amount, String currency, String customer, ObjectNode metadata,
            String description) {
        ObjectNode pi = Json.obj();
        String id = Ids.id("pi");
        pi.put("id", id);
        pi.put("object", "payment_intent");
        pi.put("amount", amount);
        pi.put("amount_capturable", 0);
        pi.putObject("amount_details").putObject("tip");
        pi.put("amount_received", 0);
        pi.putNull("application");
        pi.putNull("application_fee_amount");
        ObjectNode apm = pi.putObject("automatic_payment_methods");
        apm.put("allow_redirects", "always");
        apm.put("enabled", true);
        pi.putNull("canceled_at");
        pi.putNull("cancellation_reason");
        pi.put("capture_method", "automatic_async");
        pi.put("client_secret", id + "_secret_" + Ids.random(25));
        pi.put("confirmation_method", "automatic");
        pi.put("created", now());
        pi.put("currency", currency);
        Json.putNullable(pi, "customer", customer);
        pi.putNull("customer_account");
        Json.putNullable(pi, "description", description);
        pi.putNull("excluded_payment_method_types");
        pi.putNull("last_payment_error");
        pi.putNull("latest_charge");
        pi.put("livemode", false);
        pi.putNull("managed_payments");
        pi.putObject("metadata");
        Metadata.merge(pi, metadata);
        pi.putNull("next_action");
        pi.putNull("on_behalf_of");
        pi.putNull("payment_method");
        ObjectNode pmcd = pi.putObject("payment_method_configuration_details");
        pmcd.put("id", "pmc_" + Ids.random(24));
        pmcd.putNull("parent");
        ObjectNode pmo = pi.putObject("payment_method_options").putObject("card");
        pmo.putNull("installments");
        pmo.putNull("mandate_options");
        pmo.putNull("network");
        pmo.put("request_three_d_secure", "automatic");
        pi.putArray("payment_method_types").add("card");
        pi.putNull("processing");
        pi.putNull("receipt_email");
        pi.putNull("review");
        pi.putNull("setup_future_usage");
        pi.putNull("shipping");
        pi.putNull("source");
        pi.putNull("statement_descriptor");
        pi.putNull("statement_descriptor_suffix");
        pi.put("status", "requires_payment_method");
        pi.putNull("transfer_data");
        pi.putNull("transfer_group");
        return pi;
    }

    ObjectNode pi(String id, String param) {
        return get("payment_intent", id, param);
    }

    static void checkClientSecret(ObjectNode pi, String secret) {
        if (secret == null) {
            throw StripeError.missing("client_secret");
        }
        if (!pi.path("client_secret").asText().equals(secret)) {
            throw StripeError.invalid("The client_secret provided does not match the client_secret associated "
                    + "with the PaymentIntent.", "client_secret");
        }
    }

    ObjectNode retrieve(String id, Params p, boolean publishable) {
        p.allow("client_secret", "expand[]");
        ObjectNode pi = pi(id, "intent");
        if (publishable) {
            checkClientSecret(pi, p.str("client_secret"));
        }
        return pi.deepCopy();
    }

    ObjectNode update(String id, Params p) {
        p.allow(concat(PM_DATA, Json.SHIPPING_PARAMS, "amount", "currency", "customer", "description",
                "metadata[*]", "payment_method", "receipt_email", "setup_future_usage", "statement_descriptor",
                "statement_descriptor_suffix", "capture_method", "payment_method_types[]", "expand[]",
                "transfer_group"));
        ObjectNode pi = pi(id, "intent");
        String st = pi.path("status").asText();
        boolean onlyMeta = p.root.keySet().stream().allMatch(k -> k.equals("metadata") || k.equals("expand")
                || k.equals("description") || k.equals("receipt_email"));
        if (!onlyMeta && !(st.equals("requires_payment_method") || st.equals("requires_confirmation")
                || st.equals("requires_action"))) {
            throw StripeError.state("You cannot update this PaymentIntent because it has a status of " + st
                    + ". Updates are only allowed when the PaymentIntent has a status of requires_payment_method, "
                    + "requires_confirmation, or requires_action.");
        }
        String currency = p.has("currency") ? p.req("currency").toLowerCase() : pi.path("currency").asText();
        Money.validateCurrency(currency, "currency");
        if (p.has("amount")) {
            Money.validateAmount(p.reqLong("amount"), currency, "amount");
            pi.put("amount", p.reqLong("amount"));
        }
        pi.put("currency", currency);
        if (p.has("customer")) {
            get("customer", p.str("customer"), "customer");
            pi.put("customer", p.str("customer"));
        }
        if (p.has("shipping")) {
            pi.set("shipping", Json.shipping(p.map("shipping"), "shipping"));
        }
        if (p.has("payment_method_types")) {
            ArrayNode types = pi.putArray("payment_method_types");
            p.strings("payment_method_types").forEach(types::add);
            pi.putNull("automatic_payment_methods");
        }
        for (String f : new String[] {"description", "receipt_email", "setup_future_usage",
            "statement_descriptor_suffix", "statement_descriptor", "transfer_group"}) {
            if (p.has(f)) {
                String v = p.str(f);
                if (f.equals("statement_descriptor_suffix")) {
                    StatementDescriptors.validateSuffix(v, f);
                }
                if (v.isEmpty()) {
                    pi.putNull(f);
                } else {
                    pi.put(f, v);
                }
            }
        }
        if (p.has("capture_method")) {
            Params.checkEnum(p.str("capture_method"), "capture_method", "automatic", "automatic_async", "manual");
            pi.put("capture_method", p.str("capture_method"));
        }
        if (p.has("payment_method")) {
            pi.put("payment_method", engine.paymentMethods.resolve(p.str("payment_method"), "payment_method").path("id")
                    .asText());
            pi.put("status", "requires_confirmation");
        }
        if (p.has("payment_method_data")) {
            pi.put("payment_method", engine.paymentMethods.fromData(p.map("payment_method_data")).path("id").asText());
            pi.put("status", "requires_confirmation");
        }
        Metadata.merge(pi, p.stringMap("metadata"));
        return pi.deepCopy();
    }

    ObjectNode confirm(String id, Params p, boolean publishable) {
        p.allow(concat(PM_DATA, Json.SHIPPING_PARAMS, "payment_method", "return_url", "receipt_email",
                "client_secret", "capture_method", "setup_future_usage", "off_session", "error_on_requires_action",
                "use_stripe_sdk", "expand[]"));
        ObjectNode pi = pi(id, "intent");
        if (publishable || p.has("client_secret")) {
            checkClientSecret(pi, p.str("client_secret"));
        }
        String st = pi.path("status").asText();
        if (st.equals("succeeded")) {
            throw StripeError.state("You cannot confirm this PaymentIntent because it has already succeeded after "
                    + "being previously confirmed.").with("payment_intent", pi.deepCopy());
        }
        if (st.equals("canceled") || st.equals("requires_capture") || st.equals("processing")) {
            throw StripeError.state("You cannot confirm this PaymentIntent because it has a status of " + st + ".")
                    .with("payment_intent", pi.deepCopy());
        }
        if (engine.checkoutSessions.sessionOf(id) != null && !publishable) {
            // Checkout owns its PaymentIntent
            throw StripeError.state("You cannot confirm this PaymentIntent because it was created by Checkout.");
        }
        if (p.has("payment_method")) {
            pi.put("payment_method", engine.paymentMethods.resolve(p.str("payment_method"), "payment_method").path("id")
                    .asText());
        }
        if (p.has("payment_method_data")) {
            pi.put("payment_method", engine.paymentMethods.fromData(p.map("payment_method_data")).path("id").asText());
        }
        if (p.has("receipt_email")) {
            pi.put("receipt_email", p.str("receipt_email"));
        }
        if (p.has("capture_method")) {
            Params.checkEnum(p.str("capture_method"), "capture_method", "automatic", "automatic_async", "manual");
            pi.put("capture_method", p.str("capture_method"));
        }
        if (p.has("setup_future_usage")) {
            Json.putNullable(pi, "setup_future_usage", p.str("setup_future_usage"));
        }
        if (p.has("shipping")) {
            pi.set("shipping", Json.shipping(p.map("shipping"), "shipping"));
        }
        if (pi.path("payment_method").isNull()) {
            throw StripeError.state("You cannot confirm this PaymentIntent because it's missing a payment method. "
                    + "To confirm the PaymentIntent, specify a payment method with the `payment_method` parameter.")
                    .with("payment_intent", pi.deepCopy());
        }
        if (!publishable) {
            requireReturnUrl(pi, p.str("return_url"));
        }
        doConfirm(pi, p.str("return_url"), ConfirmOptions.of(p));
        return pi.deepCopy();
    }

    /** How a confirmation handles a card that wants 3-D Secure. */
    static final class ConfirmOptions {
        static final ConfirmOptions DEFAULT = new ConfirmOptions(false, false);
        /** {@code off_session} or {@code error_on_requires_action}: fail instead of asking the buyer. */
        final boolean noAction;
        /** {@code use_stripe_sdk}: Stripe.js handles the next action itself. */
        final boolean useStripeSdk;

        ConfirmOptions(boolean noAction, boolean useStripeSdk) {
            this.noAction = noAction;
            this.useStripeSdk = useStripeSdk;
        }

        static ConfirmOptions of(Params p) {
            return new ConfirmOptions(Boolean.TRUE.equals(p.bool("off_session"))
                    || Boolean.TRUE.equals(p.bool("error_on_requires_action")),
                    Boolean.TRUE.equals(p.bool("use_stripe_sdk")));
        }
    }

    /** Stripe insists on a return_url when redirect-based payment methods are allowed. */
    private static void requireReturnUrl(ObjectNode pi, String returnUrl) {
        JsonNode apm = pi.path("automatic_payment_methods");
        if (returnUrl == null && apm.path("enabled").asBoolean(false)
                && !"never".equals(apm.path("allow_redirects").asText())) {
            throw StripeError.invalid("This PaymentIntent is configured to accept payment methods enabled in your "
                    + "Dashboard. Because some of these payment methods might redirect your customer off of your page, "
                    + "you must provide a `return_url`. If you don't want to accept redirect-based payment methods, "
                    + "set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods"
                    + "[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.", "return_url");
        }
    }

    /** Charges the intent's payment method; throws the card error (after recording it) on a decline. */
    void doConfirm(ObjectNode pi, String returnUrl) {
        doConfirm(pi, returnUrl, ConfirmOptions.DEFAULT);
    }

    void doConfirm(ObjectNode pi, String returnUrl, ConfirmOptions options) {
        if (pi.path("payment_method").isNull()) {
            throw StripeError.state("You cannot confirm this PaymentIntent because it's missing a payment method.");
        }
        ObjectNode pm = get("payment_method", pi.path("payment_method").asText(), "payment_method");
        pi.putNull("last_payment_error");
        String pmType = pm.path("type").asText();
        if (pi.path("automatic_payment_methods").isNull()) {
            boolean allowed = false;
            for (JsonNode t : pi.path("payment_method_types")) {
                allowed |= t.asText().equals(pmType);
            }
            if (!allowed) {
                throw StripeError.invalid("The PaymentMethod provided (" + pmType + ") is not allowed for this "
                        + "PaymentIntent. Please attach a PaymentMethod of one of the following types: "
                        + String.join(", ", strings(pi.path("payment_method_types"))) + ".", "payment_method");
            }
        }
        if (pmType.equals("sepa_debit")) {
            engine.sepaDebits.debit(pi, pm);
            return;
        }
        String number = engine.paymentMethods.numberOf(pm.path("id").asText(), "4242424242424242");
        Cards.Behaviour b = Cards.behaviour(number);
        if (b.threeDs && options.noAction) {
            // off-session or error_on_requires_action: Stripe declines rather than wait for the buyer
            StripeError err = charge(pi, pm, "authentication_required", false);
            throw err;
        }
        if (b.threeDs) {
            engine.threeDSecure.requireAction(pi, returnUrl, options.useStripeSdk);
            return;
        }
        StripeError err = charge(pi, pm, b.declines() ? b.declineCode : null, false);
        if (err != null) {
            throw err;
        }
    }

    /**
     * Creates the charge ({@code authenticated}: right after a completed 3-D Secure step); returns the card error
     * when declined (state already updated), else null.
     */
    StripeError charge(ObjectNode pi, ObjectNode pm, String declineCode, boolean authenticated) {
        String number = engine.paymentMethods.numberOf(pm.path("id").asText(), "4242424242424242");
        Cards.Behaviour b = Cards.behaviour(number);
        ObjectNode before = pi.deepCopy();
        pi.putNull("next_action");
        boolean manual = pi.path("capture_method").asText().equals("manual");
        ObjectNode ch = engine.charges.newCharge(pi, pm, declineCode, manual, authenticated);
        pi.put("latest_charge", ch.path("id").asText());
        if (declineCode != null) {
            String code = Cards.errorCode(declineCode);
            String message = Cards.message(declineCode);
            paymentFailed(pi, paymentError(ch.path("id").asText(), code, declineCode, message, pm, "card_error"));
            emit("charge.failed", ch, null);
            emit("payment_intent.payment_failed", pi, Json.diff(before, pi));
            StripeError e = new StripeError(402, "card_error", code, declineCode, message, null);
            e.with("charge", Json.M.getNodeFactory().textNode(ch.path("id").asText()));
            e.with("payment_intent", pi.deepCopy());
            e.with("payment_method", pm.deepCopy());
            return e;
        }
        pi.put("payment_method", pm.path("id").asText());
        if (!pi.path("setup_future_usage").isNull() && !pi.path("customer").isNull()) {
            // saved for later, as Stripe does after a successful payment
            engine.paymentMethods.attach(pm, pi.path("customer").asText());
        }
        if (manual) {
            pi.put("status", "requires_capture");
            pi.put("amount_capturable", pi.path("amount").asLong());
            emit("charge.succeeded", ch, null);
            emit("payment_intent.amount_capturable_updated", pi, Json.diff(before, pi));
            engine.checkoutSessions.completeSession(pi, "unpaid");
            String piId = pi.path("id").asText();
            // card authorizations expire after 7 days
            engine.at(engine.nowMillis() + 7L * 86400 * 1000, () -> expireAuthorization(piId));
        } else {
            pi.put("status", "succeeded");
            pi.put("amount_received", pi.path("amount").asLong());
            emit("charge.succeeded", ch, null);
            emit("payment_intent.succeeded", pi, Json.diff(before, pi));
            engine.checkoutSessions.onPaymentSucceeded(pi);
        }
        if (b.dispute) {
            String chId = ch.path("id").asText();
            later(() -> engine.disputes.open(chId));
        }
        return null;
    }

    private void expireAuthorization(String piId) {
        ObjectNode pi = table("payment_intent").get(piId);
        if (pi == null || !pi.path("status").asText().equals("requires_capture")) {
            return;
        }
        ObjectNode ch = table("charge").get(pi.path("latest_charge").asText());
        if (ch != null) {
            engine.charges.releaseAuthorization(ch, "charge.expired");
        }
        canceled(pi, "automatic");
    }

    /** Moves the intent to canceled ({@code reason} may be null) and emits payment_intent.canceled. */
    void canceled(ObjectNode pi, String reason) {
        ObjectNode before = pi.deepCopy();
        pi.put("status", "canceled");
        pi.put("canceled_at", now());
        pi.put("amount_capturable", 0);
        pi.putNull("next_action");
        Json.putNullable(pi, "cancellation_reason", reason);
        emit("payment_intent.canceled", pi, Json.diff(before, pi));
    }

    /** The attempt failed: the error is recorded and the intent wants a new payment method. */
    static void paymentFailed(ObjectNode pi, ObjectNode lastPaymentError) {
        pi.set("last_payment_error", lastPaymentError);
        pi.putNull("payment_method");
        pi.put("status", "requires_payment_method");
    }

    /** A {@code last_payment_error}; a null charge, decline code or payment method is left out. */
    static ObjectNode paymentError(String chargeId, String code, String declineCode, String message,
            ObjectNode pm, String type) {
        ObjectNode e = Json.obj();
        if (chargeId != null) {
            e.put("charge", chargeId);
        }
        e.put("code", code);
        if (declineCode != null) {
            e.put("decline_code", declineCode);
        }
        e.put("doc_url", "https://stripe.com/docs/error-codes/" + code.replace('_', '-'));
        e.put("message", message);
        if (pm != null) {
            e.set("payment_method", pm.deepCopy());
        }
        e.put("type", type);
        return e;
    }

    ObjectNode capture(String id, Params p) {
        p.allow("amount_to_capture", "metadata[*]", "expand[]", "statement_descriptor",
                "statement_descriptor_suffix");
        ObjectNode pi = pi(id, "intent");
        if (!pi.path("status").asText().equals("requires_capture")) {
            throw StripeError.state("This PaymentIntent could not be captured because it has a status of "
                    + pi.path("status").asText() + ". Only a PaymentIntent with one of the following statuses may be "
                    + "captured: requires_capture.").with("payment_intent", pi.deepCopy());
        }
        long capturable = pi.path("amount_capturable").asLong();
        Long amt = p.lng("amount_to_capture");
        long amount = amt == null ? capturable : amt;
        if (amount > capturable) {
            throw StripeError.invalid("amount_too_large", "The amount to capture (" + amount + ") is greater than "
                    + "the amount capturable (" + capturable + ").", "amount_to_capture");
        }
        ObjectNode before = pi.deepCopy();
        ObjectNode ch = get("charge", pi.path("latest_charge").asText(), "charge");
        ObjectNode chBefore = ch.deepCopy();
        ch.put("captured", true);
        ch.put("amount_captured", amount);
        ch.put("balance_transaction", engine.balanceTransactions.forCharge(ch, amount));
        if (amount < ch.path("amount").asLong()) {
            ch.put("amount_refunded", ch.path("amount").asLong() - amount);
        }
        Metadata.merge(pi, p.stringMap("metadata"));
        for (String f : new String[] {"statement_descriptor", "statement_descriptor_suffix"}) {
            if (p.has(f)) {
                Json.putNullable(pi, f, p.str(f));
                Json.putNullable(ch, f, p.str(f));
            }
        }
        pi.put("status", "succeeded");
        pi.put("amount_capturable", 0);
        pi.put("amount_received", amount);
        emit("charge.captured", ch, Json.diff(chBefore, ch));
        emit("payment_intent.succeeded", pi, Json.diff(before, pi));
        engine.checkoutSessions.onPaymentSucceeded(pi);
        return pi.deepCopy();
    }

    ObjectNode cancel(String id, Params p) {
        p.allow("cancellation_reason", "expand[]");
        ObjectNode pi = pi(id, "intent");
        String st = pi.path("status").asText();
        if (!(st.equals("requires_payment_method") || st.equals("requires_capture")
                || st.equals("requires_confirmation") || st.equals("requires_action") || st.equals("processing"))) {
            throw StripeError.state("You cannot cancel this PaymentIntent because it has a status of " + st
                    + ". Only a PaymentIntent with one of the following statuses may be canceled: "
                    + "requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.")
                    .with("payment_intent", pi.deepCopy());
        }
        String sessionId = engine.checkoutSessions.sessionOf(id);
        if (sessionId != null && table("checkout.session").get(sessionId).path("status").asText().equals("open")) {
            throw StripeError.state("You cannot cancel this PaymentIntent because it was created by Checkout. "
                    + "Expire the Checkout Session instead.");
        }
        String reason = p.str("cancellation_reason");
        if (reason != null) {
            Params.checkEnum(reason, "cancellation_reason", "duplicate", "fraudulent", "requested_by_customer",
                    "abandoned");
        }
        if (st.equals("requires_capture")) {
            engine.charges.releaseAuthorization(get("charge", pi.path("latest_charge").asText(), "charge"),
                    "charge.refunded");
        }
        canceled(pi, reason);
        return pi.deepCopy();
    }

    ObjectNode list(Params p) {
        p.allow("limit", "starting_after", "ending_before", "customer", "created", "created[*]", "expand[]");
        String customer = p.str("customer");
        return list("payment_intent", "/v1/payment_intents", p,
                o -> customer == null || customer.equals(o.path("customer").asText()));
    }

}
