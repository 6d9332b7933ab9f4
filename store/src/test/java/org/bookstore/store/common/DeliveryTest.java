package org.bookstore.store.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code bookstore.delivery}: what the cart and checkout tell buyers about delivery. */
class DeliveryTest {

    @Test
    void postOrDigitalAsConfiguredAndNothingElse() {
        assertThat(new Delivery("post").whatHappensNext()).contains("sent by post");
        assertThat(new Delivery(" Digital ").whatHappensNext()).contains("delivered digitally").doesNotContain("post");
        assertThatThrownBy(() -> new Delivery("pigeon")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bookstore.delivery must be post or digital");
    }
}
