package org.bookstore.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * What a card statement shows: the account's short descriptor (its prefix) and, per payment, a dynamic suffix, joined
 * as {@code PREFIX* SUFFIX}. Stripe's rules for the whole: Latin characters only, at most 22 of them, at least one
 * letter in each part, none of {@code < > \ ' " *}.
 */
final class StatementDescriptors {

    /** The emulated account's short descriptor. */
    static final String PREFIX = "BOOKSTORE";
    static final int MAX_TOTAL = 22;

    private StatementDescriptors() {
    }

    /** Throws Stripe's invalid-request error if the suffix cannot be put on a statement; null passes. */
    static void validateSuffix(String suffix, String param) {
        if (suffix == null || suffix.isEmpty()) {
            return;
        }
        int room = MAX_TOTAL - PREFIX.length() - 2;
        if (suffix.length() > room) {
            throw StripeError.invalid("The statement descriptor suffix is too long: with your account's prefix \""
                    + PREFIX + "\", `" + param + "` may be at most " + room + " characters.", param);
        }
        if (!suffix.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw StripeError.invalid("`" + param + "` may contain only Latin characters.", param);
        }
        if (suffix.chars().anyMatch(c -> "<>\\'\"*".indexOf(c) >= 0)) {
            throw StripeError.invalid("`" + param + "` may not contain any of these characters: < > \\ ' \" *", param);
        }
        if (suffix.chars().noneMatch(Character::isLetter)) {
            throw StripeError.invalid("`" + param + "` must contain at least one letter.", param);
        }
    }

    /** The descriptor a card charge of this PaymentIntent carries: its own full descriptor, or the prefix and suffix. */
    static String calculated(JsonNode paymentIntent) {
        JsonNode full = paymentIntent.path("statement_descriptor");
        if (full.isTextual() && !full.asText().isEmpty()) {
            return full.asText().toUpperCase(Locale.ROOT);
        }
        JsonNode suffix = paymentIntent.path("statement_descriptor_suffix");
        return suffix.isTextual() && !suffix.asText().isEmpty()
                ? PREFIX + "* " + suffix.asText().toUpperCase(Locale.ROOT) : PREFIX;
    }
}
