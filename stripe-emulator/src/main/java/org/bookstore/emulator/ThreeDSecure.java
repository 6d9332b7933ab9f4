package org.bookstore.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** 3-D Secure: a confirm that needs the buyer's authentication waits for the /3ds page, then charges or fails. */
final class ThreeDSecure extends Resource {
    ThreeDSecure(Engine engine) {
        super(engine);
    }

    /**
     * The intent waits for authentication on the emulator's /3ds page, then goes back to {@code returnUrl}. With
     * {@code useStripeSdk} (what Stripe.js sends) the next action is Stripe's {@code use_stripe_sdk} one, which
     * Stripe.js handles itself: its {@code stripe_js} URL is the same page, opened in Stripe.js's modal.
     */
    void requireAction(ObjectNode pi, String returnUrl, boolean useStripeSdk) {
        ObjectNode before = pi.deepCopy();
        pi.put("status", "requires_action");
        ObjectNode na = Json.obj();
        String url = host.baseUrl() + "/3ds/" + pi.path("id").asText() + "?client_secret="
                + pi.path("client_secret").asText();
        if (useStripeSdk) {
            na.put("type", "use_stripe_sdk");
            ObjectNode sdk = na.putObject("use_stripe_sdk");
            sdk.put("source", "src_" + Ids.random(24));
            sdk.put("stripe_js", url);
            sdk.put("type", "three_d_secure_redirect");
        } else {
            na.put("type", "redirect_to_url");
            ObjectNode r = na.putObject("redirect_to_url");
            Json.putNullable(r, "return_url", returnUrl);
            r.put("url", url);
        }
        pi.set("next_action", na);
        emit("payment_intent.requires_action", pi, Json.diff(before, pi));
    }

    /** The intent the /3ds page shows, once its client secret matches. */
    ObjectNode forAuthentication(String id, String clientSecret) {
        ObjectNode pi = engine.paymentIntents.pi(id, "intent");
        PaymentIntents.checkClientSecret(pi, clientSecret);
        return pi.deepCopy();
    }

    /** Completes or fails the pending authentication; returns the intent afterwards. */
    ObjectNode authenticate(String id, String clientSecret, boolean success) {
        ObjectNode pi = engine.paymentIntents.pi(id, "intent");
        PaymentIntents.checkClientSecret(pi, clientSecret);
        if (!pi.path("status").asText().equals("requires_action")) {
            return pi.deepCopy();
        }
        ObjectNode pm = get("payment_method", pi.path("payment_method").asText(), "payment_method");
        if (success) {
            String number = engine.paymentMethods.numberOf(pm.path("id").asText(), "");
            Cards.Behaviour b = Cards.behaviour(number);
            engine.paymentIntents.charge(pi, pm, b.afterAuthDecline, true);
        } else {
            ObjectNode before = pi.deepCopy();
            pi.putNull("next_action");
            PaymentIntents.paymentFailed(pi, PaymentIntents.paymentError(null,
                    "payment_intent_authentication_failure", null,
                    "The provided PaymentMethod has failed authentication. You can provide payment_method_data or a "
                            + "new PaymentMethod to attempt to fulfill this PaymentIntent again.",
                    pm, "invalid_request_error"));
            emit("payment_intent.payment_failed", pi, Json.diff(before, pi));
        }
        return pi.deepCopy();
    }

    /** Where the buyer goes after authenticating: the confirm's return_url, if one was given. */
    static String returnUrlFor(ObjectNode pi) {
        JsonNode na = pi.path("next_action").path("redirect_to_url").path("return_url");
        return na.isTextual() ? na.asText() : null;
    }
}
