package org.bookstore.store.support;

import java.util.ArrayList;
import java.util.List;
import org.bookstore.store.BookstoreApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An instance of the store started in this JVM on a random port, with its own in-process Stripe emulator, on the
 * database given: several of them on one database are several instances of one shop.
 */
public final class StoreInstance {

    private StoreInstance() {
    }

    /** Starts an instance; {@code settings} are further {@code --name=value} arguments. */
    public static ConfigurableApplicationContext start(String databaseUrl, String username, String password, String... settings) {
        List<String> arguments = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.datasource.url=" + databaseUrl,
                "--spring.datasource.username=" + username,
                "--spring.datasource.password=" + password,
                "--bookstore.stripe.emulator.port=0",
                "--bookstore.stripe.emulator.state-file=",
                "--logging.level.root=WARN",
                // Every test buyer registers and opens carts from 127.0.0.1; the limits are tested on their own
                // (RegistrationLimitTest, GuestCartLimitTest, GuestMessagesLimitTest).
                "--bookstore.login.max-registrations-per-address=1000",
                "--bookstore.cart.max-new-guest-carts-per-address=100000",
                "--bookstore.checkout.max-new-payments-per-account=100000",
                "--bookstore.sessions.max-new-guest-sessions-per-address=100000"));
        arguments.addAll(List.of(settings));
        return new SpringApplicationBuilder(BookstoreApplication.class).run(arguments.toArray(String[]::new));
    }

    public static String baseUrl(ConfigurableApplicationContext instance) {
        return "http://localhost:" + instance.getEnvironment().getProperty("local.server.port");
    }
}
