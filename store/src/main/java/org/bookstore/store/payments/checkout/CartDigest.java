package org.bookstore.store.payments.checkout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.bookstore.store.payments.PayableOrder;

/**
 * A short digest of what an order buys (books, quantities, unit prices, currency). It is kept on each checkout
 * attempt and put on the payment page, so a page showing an old cart is noticed before anything is charged.
 */
public final class CartDigest {

    private CartDigest() {}

    public static String of(PayableOrder order) {
        StringBuilder contents = new StringBuilder(order.currency().getCurrencyCode());
        for (PayableOrder.Line line : order.lines()) {
            contents.append('|').append(line.bookId()).append('x').append(line.quantity()).append('@').append(line.unitPrice().minorUnits());
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(contents.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
