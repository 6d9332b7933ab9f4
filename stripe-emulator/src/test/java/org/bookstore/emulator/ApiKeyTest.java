package org.bookstore.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.StripeClient;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.PermissionException;
import com.stripe.model.PaymentIntent;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.PaymentIntentRetrieveParams;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** With required keys only the emulator's own keys work; anyone else on the machine gets Stripe's 401. */
class ApiKeyTest {
    static final String SECRET = "sk_test_shop0123456789";
    static final String PUBLISHABLE = "pk_test_shop0123456789";

    static StripeClient client(StripeEmulator em, String key) {
        return StripeClient.builder().setApiKey(key).setApiBase(em.baseUrl()).build();
    }

    static PaymentIntent intent(StripeEmulator em) throws Exception {
        return client(em, em.secretKey()).v1().paymentIntents().create(PaymentIntentCreateParams.builder()
                .setAmount(1999L).setCurrency("usd").build());
    }

    @Test
    void onlyTheConfiguredKeysAreAccepted() throws Exception {
        try (StripeEmulator em = StripeEmulator.builder().requireKeys(true).secretKey(SECRET)
                .publishableKey(PUBLISHABLE).start()) {
            assertThat(client(em, SECRET).v1().customers().create(CustomerCreateParams.builder().build()).getId())
                    .startsWith("cus_");

            for (String other : new String[] {"sk_test_attackerabcd", "rk_test_attackerabcd", "sk_test_emulator"}) {
                assertThatThrownBy(() -> client(em, other).v1().customers().list())
                        .isInstanceOfSatisfying(AuthenticationException.class, e -> {
                            assertThat(e.getStatusCode()).isEqualTo(401);
                            assertThat(e.getStripeError().getType()).isEqualTo("invalid_request_error");
                            assertThat(e.getStripeError().getMessage()).isEqualTo("Invalid API Key provided: "
                                    + other.substring(0, 8) + "****" + other.substring(other.length() - 4));
                        });
            }
            assertThatThrownBy(() -> client(em, "sk_test_attackerabcd").v1().paymentIntents().create(
                    PaymentIntentCreateParams.builder().setAmount(1999L).setCurrency("usd").build()))
                    .hasMessageContaining("Invalid API Key provided: sk_test_****abcd");
        }
    }

    @Test
    void thePublishableKeyWorksOnlyWhereStripeJsUsesIt() throws Exception {
        try (StripeEmulator em = StripeEmulator.builder().requireKeys(true).secretKey(SECRET)
                .publishableKey(PUBLISHABLE).start()) {
            PaymentIntent pi = intent(em);
            PaymentIntentRetrieveParams withSecret = PaymentIntentRetrieveParams.builder()
                    .setClientSecret(pi.getClientSecret()).build();

            assertThat(client(em, PUBLISHABLE).v1().paymentIntents().retrieve(pi.getId(), withSecret).getStatus())
                    .isEqualTo("requires_payment_method");
            assertThatThrownBy(() -> client(em, "pk_test_someoneelse").v1().paymentIntents().retrieve(pi.getId(),
                    withSecret)).isInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("Invalid API Key provided: pk_test_****else");
            assertThatThrownBy(() -> client(em, PUBLISHABLE).v1().customers().list())
                    .isInstanceOf(PermissionException.class);
        }
    }

    @Test
    void requiredKeysNobodyGaveAreRandom() throws Exception {
        try (StripeEmulator a = StripeEmulator.builder().requireKeys(true).start();
                StripeEmulator b = StripeEmulator.builder().requireKeys(true).start()) {
            assertThat(a.secretKey()).startsWith("sk_test_").isNotEqualTo("sk_test_emulator")
                    .isNotEqualTo(b.secretKey());
            assertThat(a.publishableKey()).startsWith("pk_test_").isNotEqualTo("pk_test_emulator");
            assertThat(intent(a).getId()).startsWith("pi_");
            assertThatThrownBy(() -> client(a, "sk_test_emulator").v1().customers().list())
                    .isInstanceOf(AuthenticationException.class);
            assertThatThrownBy(() -> client(a, b.secretKey()).v1().customers().list())
                    .isInstanceOf(AuthenticationException.class);
        }
    }

    @Test
    void requiredKeysMustBeTestKeys() {
        assertThatThrownBy(() -> StripeEmulator.builder().requireKeys(true).secretKey("sk_live_shop").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sk_test_");
    }

    @Test
    void withoutRequiredKeysAnyTestKeyStillWorks() throws Exception {
        try (StripeEmulator em = StripeEmulator.builder().secretKey(SECRET).start()) {
            assertThat(client(em, "sk_test_anything").v1().customers().create(CustomerCreateParams.builder()
                    .build()).getId()).startsWith("cus_");
        }
    }

    @Test
    void theCommandLineRequiresTheGivenKeys() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (StripeEmulator em = Main.run(new String[] {"--port", "0", "--require-keys", "--secret-key", SECRET,
            "--publishable-key", PUBLISHABLE}, new PrintStream(out, true, StandardCharsets.UTF_8))) {
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("secret key: " + SECRET)
                    .contains("only these keys are accepted");
            assertThat(client(em, SECRET).v1().customers().create(CustomerCreateParams.builder().build()).getId())
                    .startsWith("cus_");
            assertThatThrownBy(() -> client(em, "sk_test_attackerabcd").v1().customers().list())
                    .isInstanceOf(AuthenticationException.class);
        }
    }
}
