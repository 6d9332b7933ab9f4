package org.bookstore.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A Node.js shop on the legacy card API, written against stripe-node as it would be against Stripe, runs unchanged on
 * the emulator. Needs Node.js and npm (stripe-node is installed into target/ once); skipped without them, a failure
 * when CI=true.
 */
class StripeNodeLegacyShopTest extends EmulatorTestBase {

    private static final String STRIPE_NODE = "stripe@23.1.0";
    private static final Path SHOP = Path.of("target", "node-shop");

    @Test
    void aTokensCustomersAndChargesShopRunsUnchanged() throws Exception {
        installStripeNode();
        Files.copy(resource("node/legacy-shop.js"), SHOP.resolve("legacy-shop.js"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        String output = run(List.of("node", "legacy-shop.js", Integer.toString(emulator.port())), 60);
        JsonNode seen = Json.read(output.lines().reduce((first, last) -> last).orElseThrow());

        assertThat(seen.path("defaultSource").asText()).startsWith("card_");
        assertThat(seen.path("charge").path("status").asText()).isEqualTo("succeeded");
        assertThat(seen.path("charge").path("source").asText()).isEqualTo(seen.path("defaultSource").asText());
        assertThat(seen.path("charge").path("fee").asLong()).as("2.9% + 30 cents of $28.00").isEqualTo(111);
        assertThat(seen.path("charge").path("net").asLong()).isEqualTo(2800 - 111);
        assertThat(seen.path("reusedToken").path("code").asText()).isEqualTo("token_already_used");
        assertThat(seen.path("declined").path("type").asText()).isEqualTo("StripeCardError");
        assertThat(seen.path("declined").path("code").asText()).isEqualTo("card_declined");
        assertThat(seen.path("declined").path("charge").asText()).startsWith("ch_");
        assertThat(seen.path("capture").path("before").asBoolean()).isFalse();
        assertThat(seen.path("capture").path("after").asBoolean()).isTrue();
        assertThat(seen.path("refund").path("status").asText()).isEqualTo("succeeded");
        assertThat(seen.path("refund").path("amount").asLong()).isEqualTo(1500);
        assertThat(seen.path("unknownParameter").path("code").asText()).isEqualTo("parameter_unknown");
        assertThat(seen.path("notAnInteger").path("code").asText()).isEqualTo("parameter_invalid_integer");
        assertThat(seen.path("cards").get(0).asText()).isEqualTo("4242");
    }

    private static void installStripeNode() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        for (String tool : List.of("node", "npm")) {
            boolean found = List.of(System.getenv("PATH").split(java.io.File.pathSeparator)).stream()
                    .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
            if (!found && ci) {
                throw new IllegalStateException(tool + " is required in CI for the stripe-node shop test");
            }
            Assumptions.assumeTrue(found, tool + " is not installed; install Node.js to run the stripe-node shop test");
        }
        Files.createDirectories(SHOP);
        if (!Files.exists(SHOP.resolve("node_modules/stripe/package.json"))) {
            Files.writeString(SHOP.resolve("package.json"), "{\"name\": \"node-shop\", \"private\": true}\n");
            run(List.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error", STRIPE_NODE), 300);
        }
    }

    private static String run(List<String> command, int seconds) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(SHOP.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(seconds, TimeUnit.SECONDS)).as(String.join(" ", command) + " finished").isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(String.join(" ", command) + ":\n" + text).isZero();
        return text;
    }

    private static InputStream resource(String name) {
        return StripeNodeLegacyShopTest.class.getResourceAsStream(name);
    }
}
