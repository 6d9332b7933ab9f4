package org.bookstore.store.cart;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.bookstore.store.common.JobLocks;
import org.bookstore.store.orders.OrderRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes guest carts nobody can reach any more. A guest's cart is found by the cookie it was opened with, which
 * lasts {@link GuestCartCookie#LASTS}; a day after that the cart is out of every browser's reach, and it is deleted
 * with its lines. Without this, every visitor (or robot) that ever put a book in a cart without logging in left an
 * order row behind for good. Carts of accounts, and anything past the cart, are never touched; a guest cart something
 * else still refers to is left alone. It runs on one instance at a time (ShedLock), a thousand carts at a time.
 */
@Component
class AbandonedGuestCarts {

    private static final Logger log = LoggerFactory.getLogger(AbandonedGuestCarts.class);
    static final Duration OUT_OF_REACH_AFTER = GuestCartCookie.LASTS.plusDays(1);
    private static final int BATCH = 1000;

    private final OrderRepository orders;
    private final Clock clock;
    private final JobLocks locks;

    AbandonedGuestCarts(OrderRepository orders, Clock clock, JobLocks locks) {
        this.orders = orders;
        this.clock = clock;
        this.locks = locks;
    }

    @Scheduled(fixedDelayString = "${bookstore.cart.guest-cart-sweep-every:PT1H}",
            initialDelayString = "${bookstore.cart.guest-cart-sweep-first-after:PT5M}")
    public void scheduled() {
        locks.runAlone("delete-abandoned-guest-carts", Duration.ofMinutes(30), Duration.ofMinutes(1), () -> {
            int deleted = sweep();
            if (deleted > 0) {
                log.info("Deleted {} guest carts opened more than {} days ago, which no guest can reach any more", deleted,
                        OUT_OF_REACH_AFTER.toDays());
            }
        });
    }

    /** Deletes every guest cart out of reach; returns how many. */
    int sweep() {
        int deleted = 0;
        long after = 0;
        while (true) {
            List<Long> batch = orders.guestCartsOpenedBefore(clock.instant().minus(OUT_OF_REACH_AFTER), after, BATCH);
            for (long id : batch) {
                if (orders.deleteGuestCart(id)) {
                    deleted++;
                }
                after = id;
            }
            if (batch.size() < BATCH) {
                return deleted;
            }
        }
    }
}
