package org.bookstore.store.common;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The address buyers reach the store at ({@code bookstore.public-url}, by default {@code http://localhost:<port>}).
 * Stripe's return and cancel addresses are made from it, never from a request's Host header, which the client chooses.
 */
@Component
public class PublicUrl {

    private final String configured;
    private final Environment environment;

    PublicUrl(@Value("${bookstore.public-url:}") String configured, Environment environment) {
        this.configured = configured == null ? "" : configured.strip().replaceAll("/+$", "");
        this.environment = environment;
    }

    public String get() {
        return forPort(environment.getProperty("local.server.port", environment.getProperty("server.port", "8080")));
    }

    /** The address when the server listens on {@code port}, for code that runs as the server starts. */
    public String forPort(Object port) {
        return configured.isEmpty() ? "http://localhost:" + port : configured;
    }
}
