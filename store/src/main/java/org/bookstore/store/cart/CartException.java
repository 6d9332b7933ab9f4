package org.bookstore.store.cart;

/** A cart change that was refused; the message is shown to the buyer as it is, and the cart is left as it was. */
class CartException extends RuntimeException {

    CartException(String message) {
        super(message);
    }
}
