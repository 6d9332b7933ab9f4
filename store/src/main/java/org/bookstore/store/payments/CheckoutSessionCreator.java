package org.bookstore.store.payments;

import com.stripe.exception.StripeException;
import com.stripe.model.checkout.Session;
import com.stripe.net.RequestOptions;
import com.stripe.param.checkout.SessionCreateParams;
import java.time.Clock;
import org.bookstore.store.orders.Order;
import org.springframework.stereotype.Component;

/**
 * Makes the Checkout Session for one checkout attempt of an order, from the order's lines and prices in the
 * database. The idempotency key names the order, the attempt and a digest of what is bought, so a double click,
 * a second tab or a network retry gets the same session, never a second one.
 */
@Component
class CheckoutSessionCreator {

    static final String ORDER_ID = "order_id";

    private final StripeAccess stripe;
    private final StripeSettings settings;
    private final Clock clock;

    CheckoutSessionCreator(StripeAccess stripe, StripeSettings settings, Clock clock) {
        this.stripe = stripe;
        this.settings = settings;
        this.clock = clock;
    }

    Session create(Order order, int attempt, String customerId, String storeUrl) throws StripeException {
        String orderId = Long.toString(order.id());
        SessionCreateParams.Builder params = SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT)
                .setCustomer(customerId)
                .setClientReferenceId(orderId)
                .putMetadata(ORDER_ID, orderId)
                .setPaymentIntentData(SessionCreateParams.PaymentIntentData.builder().putMetadata(ORDER_ID, orderId).build())
                .setSuccessUrl(storeUrl + "/checkout/success?session_id={CHECKOUT_SESSION_ID}")
                .setCancelUrl(storeUrl + "/cart")
                .setExpiresAt(clock.instant().plus(settings.checkoutExpiresAfter()).getEpochSecond());
        for (org.bookstore.store.orders.OrderLine line : order.lines()) {
            params.addLineItem(SessionCreateParams.LineItem.builder()
                    .setQuantity((long) line.quantity())
                    .setPriceData(SessionCreateParams.LineItem.PriceData.builder()
                            .setCurrency(line.unitPrice().currencyCode())
                            .setUnitAmount(line.unitPrice().minorUnits())
                            .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder()
                                    .setName(line.title())
                                    .putMetadata("book_id", Long.toString(line.bookId()))
                                    .build())
                            .build())
                    .build());
        }
        RequestOptions options = RequestOptions.builder().setIdempotencyKey(idempotencyKey(order, attempt)).build();
        return stripe.client().v1().checkout().sessions().create(params.build(), options);
    }

    static String idempotencyKey(Order order, int attempt) {
        return "checkout-order-" + order.id() + "-attempt-" + attempt + "-" + CartDigest.of(order);
    }
}
