package org.bookstore.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every object carries exactly the top-level fields of Stripe's published example object. */
class ObjectShapeTest extends EmulatorTestBase {
    static JsonNode fixtures;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = ObjectShapeTest.class.getResourceAsStream("/stripe-fixtures-subset.json")) {
            fixtures = Json.M.readTree(in).path("resources");
        }
    }

    static JsonNode call(String method, String path, String form) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path))
                .header("Authorization", "Bearer sk_test_shape");
        if (method.equals("POST")) {
            b.header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
        return Json.read(r.body());
    }

    static Set<String> keys(JsonNode n) {
        Set<String> out = new TreeSet<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static void same(String resource, JsonNode actual, String... exceptions) {
        Set<String> expected = keys(fixtures.path(resource));
        Set<String> got = keys(actual);
        got.removeAll(List.of(exceptions));
        expected.removeAll(List.of(exceptions));
        assertThat(got).as(resource).isEqualTo(expected);
    }

    @Test
    void shapesMatchStripesExamples() throws Exception {
        JsonNode cus = call("POST", "/v1/customers", "email=s%40example.com");
        same("customer", cus);
        same("deleted_customer", call("DELETE", "/v1/customers/" + cus.path("id").asText(), null));
        JsonNode prod = call("POST", "/v1/products", "name=Shape");
        same("product", prod);
        JsonNode price = call("POST", "/v1/prices", "currency=usd&unit_amount=1000&product=" + prod.path("id").asText());
        same("price", price);
        JsonNode pi = call("POST", "/v1/payment_intents", "amount=1000&currency=usd&payment_method=pm_card_createDispute"
                + "&confirm=true&return_url=https%3A%2F%2Fx.example");
        same("payment_intent", pi);
        same("payment_method", call("GET", "/v1/payment_methods/" + pi.path("payment_method").asText(), null));
        // refunds is only included when expanded, as since API version 2022-11-15
        same("charge", call("GET", "/v1/charges/" + pi.path("latest_charge").asText(), null), "refunds");
        JsonNode plain = call("POST", "/v1/payment_intents", "amount=1000&currency=usd&payment_method=pm_card_visa"
                + "&confirm=true&return_url=https%3A%2F%2Fx.example");
        same("refund", call("POST", "/v1/refunds", "amount=100&payment_intent=" + plain.path("id").asText()));
        // secret is returned on creation only
        same("webhook_endpoint", call("POST", "/v1/webhook_endpoints", "url=https%3A%2F%2Fx.example%2Fwh"
                + "&enabled_events[]=*"), "secret");
        JsonNode cs = call("POST", "/v1/checkout/sessions", "mode=payment&line_items[0][price]="
                + price.path("id").asText() + "&line_items[0][quantity]=1&success_url=https%3A%2F%2Fx.example");
        same("checkout.session", cs);
        same("item", call("GET", "/v1/checkout/sessions/" + cs.path("id").asText() + "/line_items", null)
                .path("data").get(0));
        same("event", call("GET", "/v1/events?limit=1", null).path("data").get(0));
        List<JsonNode> disputes = new ArrayList<>();
        await("dispute", () -> {
            try {
                JsonNode l = call("GET", "/v1/disputes?payment_intent=" + pi.path("id").asText(), null);
                l.path("data").forEach(disputes::add);
                return !disputes.isEmpty();
            } catch (Exception e) {
                return false;
            }
        });
        same("dispute", disputes.get(0));
    }

    @Test
    void legacyCardBalanceAndPricingShapesMatchStripesExamples() throws Exception {
        same("token", call("POST", "/v1/tokens", "card[number]=4242424242424242&card[exp_month]=12"
                + "&card[exp_year]=2034&card[cvc]=123"));
        JsonNode cus = call("POST", "/v1/customers", "source=tok_visa");
        same("card", call("GET", "/v1/customers/" + cus.path("id").asText() + "/sources/"
                + cus.path("default_source").asText(), null));
        JsonNode ch = call("POST", "/v1/charges", "amount=1000&currency=usd&source=tok_mastercard");
        same("charge", ch, "refunds");
        same("balance_transaction", call("GET", "/v1/balance_transactions/"
                + ch.path("balance_transaction").asText(), null));
        same("balance", call("GET", "/v1/balance", null));
        JsonNode coupon = call("POST", "/v1/coupons", "percent_off=25.5&duration=repeating&duration_in_months=3");
        same("coupon", coupon);
        same("promotion_code", call("POST", "/v1/promotion_codes", "promotion[type]=coupon&promotion[coupon]="
                + coupon.path("id").asText() + "&code=SHAPE25"));
        same("shipping_rate", call("POST", "/v1/shipping_rates", "display_name=Ground&type=fixed_amount"
                + "&fixed_amount[amount]=500&fixed_amount[currency]=usd"));
        same("tax_rate", call("POST", "/v1/tax_rates", "display_name=VAT&percentage=19&inclusive=false"));
    }
}
