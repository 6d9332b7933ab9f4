package org.bookstore.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.StripeClient;
import com.stripe.model.Customer;
import com.stripe.exception.CardException;
import com.stripe.param.ChargeCreateParams;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.TaxRateCreateParams;
import com.stripe.param.checkout.SessionCreateParams;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateAndMainTest {

    @Test
    void stateSurvivesARestart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("state.json");
        String customerId;
        String piId;
        String secret;
        try (StripeEmulator em = StripeEmulator.builder().stateFile(file).start()) {
            StripeClient c = StripeClient.builder().setApiKey("sk_test_1").setApiBase(em.baseUrl()).build();
            customerId = c.v1().customers().create(CustomerCreateParams.builder().setEmail("keep@example.com")
                    .build()).getId();
            piId = RefundDisputeEventTestSupport.pay(c);
            secret = em.addWebhookEndpoint("http://127.0.0.1:9/x").secret();
        }
        assertThat(file).exists();
        try (StripeEmulator em = StripeEmulator.builder().stateFile(file).start()) {
            StripeClient c = StripeClient.builder().setApiKey("sk_test_1").setApiBase(em.baseUrl()).build();
            Customer again = c.v1().customers().retrieve(customerId);
            assertThat(again.getEmail()).isEqualTo("keep@example.com");
            assertThat(c.v1().paymentIntents().retrieve(piId).getStatus()).isEqualTo("succeeded");
            assertThat(c.v1().events().list().getData()).isNotEmpty();
            String weId = c.v1().webhookEndpoints().list().getData().get(0).getId();
            assertThat(em.webhookSecret(weId)).isEqualTo(secret);
        }
        assertThat(Files.readString(file)).contains(customerId);
    }

    @Test
    void cardsTotalsAndPendingFundsSurviveARestart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("state.json");
        String customerId;
        String txnId;
        String sessionId;
        try (StripeEmulator em = StripeEmulator.builder().stateFile(file).start()) {
            StripeClient c = StripeClient.builder().setApiKey("sk_test_1").setApiBase(em.baseUrl()).build();
            customerId = c.v1().customers().create(CustomerCreateParams.builder().setSource("tok_chargeDeclined")
                    .build()).getId();
            txnId = c.v1().charges().create(ChargeCreateParams.builder().setAmount(1000L).setCurrency("usd")
                    .setSource("tok_visa").build()).getBalanceTransaction();
            String rate = c.v1().taxRates().create(TaxRateCreateParams.builder().setDisplayName("VAT")
                    .setPercentage(new java.math.BigDecimal("20")).setInclusive(false).build()).getId();
            sessionId = c.v1().checkout().sessions().create(SessionCreateParams.builder()
                    .setMode(SessionCreateParams.Mode.PAYMENT).setSuccessUrl("https://shop.example/ok")
                    .addLineItem(CheckoutTotalsTest.item("Dune", 1000, 1, rate)).build()).getId();
        }
        try (StripeEmulator em = StripeEmulator.builder().stateFile(file).start()) {
            StripeClient c = StripeClient.builder().setApiKey("sk_test_1").setApiBase(em.baseUrl()).build();
            // the saved card still declines as its test number does
            assertThatThrownBy(() -> c.v1().charges().create(ChargeCreateParams.builder().setAmount(1000L)
                    .setCurrency("usd").setCustomer(customerId).build()))
                    .isInstanceOfSatisfying(CardException.class,
                            e -> assertThat(e.getDeclineCode()).isEqualTo("generic_decline"));
            assertThat(c.v1().checkout().sessions().lineItems().list(sessionId).getData().get(0).getAmountTax())
                    .isEqualTo(200L);
            assertThat(c.v1().balanceTransactions().retrieve(txnId).getStatus()).isEqualTo("pending");
            em.advanceClock(3 * 86400);
            assertThat(c.v1().balanceTransactions().retrieve(txnId).getStatus()).isEqualTo("available");
        }
    }

    @Test
    void theStateFileIsReadableByItsOwnerOnly(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
                "POSIX permissions");
        Path file = dir.resolve("state.json");
        String secret;
        try (StripeEmulator em = StripeEmulator.builder().stateFile(file).start()) {
            secret = em.addWebhookEndpoint("http://127.0.0.1:9/hook").secret();
            em.saveState();
            assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
        assertThat(Files.readString(file)).contains(secret);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(dir.resolve("state.json.tmp")).doesNotExist();
    }

    @Test
    void aStateFileOthersCouldReadIsTightened(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
                "POSIX permissions");
        Path file = dir.resolve("state.json");
        try (StripeEmulator em = StripeEmulator.builder().stateFile(file).start()) {
            em.addWebhookEndpoint("http://127.0.0.1:9/hook");
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        // a temporary file left behind by a crash, readable by everyone
        Path staleTmp = dir.resolve("state.json.tmp");
        Files.writeString(staleTmp, "{}");
        Files.setPosixFilePermissions(staleTmp, PosixFilePermissions.fromString("rw-rw-rw-"));

        try (StripeEmulator em = StripeEmulator.builder().stateFile(file).start()) {
            assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            em.addWebhookEndpoint("http://127.0.0.1:9/other");
        }
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(staleTmp).doesNotExist();
    }

    @Test
    void helpPrintsOptions() throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            Main.main(new String[] {"--help"});
        } finally {
            System.setOut(old);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--port").contains("--state-file")
                .contains("--webhook").contains("--control").contains("--webhook-time-scale")
                .contains("--require-keys").contains("--secret-key").contains("--cors-origin")
                .contains("--client-timeout");
    }

    @Test
    void commandLineStartsWithWebhookAndControl() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Receiver receiver = new Receiver();
                StripeEmulator em = Main.run(new String[] {"--port", "0", "--control", "--webhook", receiver.url(),
                    "--webhook-secret", "whsec_fixed", "--webhook-time-scale=0.001"},
                        new PrintStream(out, true, StandardCharsets.UTF_8))) {
            String printed = out.toString(StandardCharsets.UTF_8);
            assertThat(printed).contains("signing secret: whsec_fixed").contains("listening on " + em.baseUrl())
                    .contains("control API");
            StripeClient c = StripeClient.builder().setApiKey("sk_test_cli").setApiBase(em.baseUrl()).build();
            c.v1().customers().create(CustomerCreateParams.builder().build());
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (receiver.received().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Receiver.Delivery d = receiver.received().get(0);
            assertThat(com.stripe.net.Webhook.constructEvent(d.body(), d.signature(), "whsec_fixed").getType())
                    .isEqualTo("customer.created");
        }
        assertThatThrownBy(() -> Main.run(new String[] {"--bogus"}, System.out))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--bogus");
    }
}
