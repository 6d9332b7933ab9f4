package org.bookstore.store.payments.stripe;

import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import java.util.Optional;
import org.bookstore.store.payments.Payments.Payer;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Each account's Stripe Customer, created the first time the buyer pays and kept from then on. */
@Component
public class StripeCustomers {

    private final StripeAccess stripe;
    private final JdbcClient jdbc;
    private final Installation installation;

    StripeCustomers(StripeAccess stripe, JdbcClient jdbc, Installation installation) {
        this.stripe = stripe;
        this.jdbc = jdbc;
        this.installation = installation;
    }

    public String customerFor(Payer payer) throws StripeException {
        Optional<String> known = find(payer.accountId());
        if (known.isPresent()) {
            return known.get();
        }
        // The idempotency key makes two first payments at once create one Customer, not two.
        Customer customer = stripe.client().v1().customers().create(CustomerCreateParams.builder()
                        .setEmail(payer.email())
                        .setName(payer.name())
                        .putMetadata("account_id", Long.toString(payer.accountId()))
                        .build(),
                RequestOptions.builder().setIdempotencyKey(installation.id() + "-customer-" + payer.accountId()).build());
        try {
            jdbc.sql("INSERT INTO stripe_customers (account_id, customer_id) VALUES (?, ?)")
                    .params(payer.accountId(), customer.getId()).update();
        } catch (DuplicateKeyException raced) {
            return find(payer.accountId()).orElse(customer.getId());
        }
        return customer.getId();
    }

    private Optional<String> find(long accountId) {
        return jdbc.sql("SELECT customer_id FROM stripe_customers WHERE account_id = ?").param(accountId)
                .query(String.class).optional();
    }
}
