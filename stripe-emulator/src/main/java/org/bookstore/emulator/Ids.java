package org.bookstore.emulator;

import java.security.SecureRandom;

/** Stripe-like object ids. */
final class Ids {
    private static final String ALPHA = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RND = new SecureRandom();

    private Ids() {}

    static String random(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(ALPHA.charAt(RND.nextInt(ALPHA.length())));
        }
        return sb.toString();
    }

    static String id(String prefix) {
        return prefix + "_" + random(24);
    }

    static String checkoutSession() {
        return "cs_test_" + random(58);
    }
}
