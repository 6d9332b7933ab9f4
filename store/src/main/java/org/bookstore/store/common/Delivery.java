package org.bookstore.store.common;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** How the shop delivers what it sells ({@code bookstore.delivery}: post or digital), as told to buyers before paying. */
@Component("delivery")
public class Delivery {

    public enum Kind { POST, DIGITAL }

    private final Kind kind;

    Delivery(@Value("${bookstore.delivery:post}") String kind) {
        try {
            this.kind = Kind.valueOf(kind.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw new IllegalStateException("bookstore.delivery must be post or digital, not \"" + kind + "\"", unknown);
        }
    }

    public Kind kind() {
        return kind;
    }

    /** One sentence on what follows the payment. */
    public String whatHappensNext() {
        return switch (kind) {
            case POST -> "Once your payment is received you get a receipt by email, and your books are sent by post.";
            case DIGITAL -> "Once your payment is received you get a receipt by email, and your books are delivered digitally.";
        };
    }
}
