package org.bookstore.store.payments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.bookstore.store.support.StoreTest;
import org.bookstore.store.support.Visitor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/** Given Stripe test keys, the store talks to Stripe itself: no emulator, Stripe's own Stripe.js and origins. */
@StoreTest
@TestPropertySource(properties = {"bookstore.stripe.secret-key=sk_test_configured", "bookstore.stripe.publishable-key=pk_test_configured",
        "bookstore.stripe.webhook-secret=whsec_configured", "bookstore.checkout.ui=embedded"})
class RealStripeConfigurationTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    org.bookstore.store.payments.stripe.StripeAccess stripe;

    @Test
    void noEmulatorIsStartedAndTheBannerSaysTestKeys() {
        assertThat(stripe.emulator()).isEmpty();
        assertThat(Visitor.body(new Visitor(mvc).get("/"))).contains("Test mode: Stripe test keys.").doesNotContain("emulator");
    }

    @Test
    void theEmbeddedPageLoadsStripesOwnStripeJs() {
        assertThat(stripe.stripeJsUrl()).isEqualTo("https://js.stripe.com/v3/");
        assertThat(stripe.publishableKey()).isEqualTo("pk_test_configured");
    }

    @Test
    void theContentSecurityPolicyAllowsExactlyStripesOrigins() {
        MockHttpServletResponse page = new Visitor(mvc).get("/");
        String policy = page.getHeader("Content-Security-Policy");

        assertThat(directive(policy, "script-src")).containsExactly("'self'", "https://js.stripe.com", "https://*.js.stripe.com");
        assertThat(directive(policy, "frame-src")).containsExactly("'self'", "https://js.stripe.com", "https://*.js.stripe.com",
                "https://hooks.stripe.com");
        assertThat(directive(policy, "connect-src")).containsExactly("'self'", "https://api.stripe.com");
        assertThat(directive(policy, "form-action")).containsExactly("'self'", "https://checkout.stripe.com");
        assertThat(directive(policy, "img-src")).containsExactly("'self'", "data:");
    }

    private static List<String> directive(String policy, String name) {
        return Arrays.stream(policy.split(";")).map(String::trim).filter(part -> part.startsWith(name + " "))
                .findFirst().map(part -> Arrays.asList(part.split("\\s+")).subList(1, part.split("\\s+").length))
                .orElseThrow(() -> new AssertionError("No " + name + " in " + policy));
    }
}
