package org.bookstore.store.payments.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The order number on a card statement: within Stripe's limits whatever the account's prefix (22 characters for
 * prefix, "* " and suffix, a prefix of up to 10), with a letter, and none of the characters Stripe refuses.
 */
class StatementDescriptorSuffixTest {

    @Test
    void theOrderNumberFitsWithAnyPrefixStripeAllows() {
        assertThat(StripeCalls.statementDescriptorSuffix(42)).isEqualTo("ORDER 42");
        assertThat(StripeCalls.statementDescriptorSuffix(9999)).isEqualTo("ORDER 9999");
        assertThat(StripeCalls.statementDescriptorSuffix(123456)).isEqualTo("ORD 123456");
        assertThat(StripeCalls.statementDescriptorSuffix(123456789)).isEqualTo("O123456789");
        assertThat(StripeCalls.statementDescriptorSuffix(1234567890L)).as("too long for any prefix: Stripe's prefix alone").isNull();
        for (long order : new long[] {1, 42, 9999, 10000, 999999, 1000000, 999999999}) {
            String suffix = StripeCalls.statementDescriptorSuffix(order);
            assertThat("LONGPREFIX* " + suffix).hasSizeLessThanOrEqualTo(22);
            assertThat(suffix).containsPattern("[A-Z]").doesNotContainPattern("[<>\\\\'\"*]").contains(Long.toString(order));
        }
    }
}
