package org.bookstore.store.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bookstore.store.support.HttpVisitor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.support.GeneratedKeyHolder;

/** Every order in the back office: newest first, a page of 25 at a time, filtered and searched. */
class OrderListTest extends BackOfficeScenarios {

    private static final Pattern ROW = Pattern.compile("href=\"/admin/orders/(\\d+)\">#");
    private static final Pattern OLDER = Pattern.compile("href=\"(/admin/orders\\?[^\"]*after=[^\"]+)\"");
    private static final Pattern NEWER = Pattern.compile("href=\"(/admin/orders\\?[^\"]*before=[^\"]+)\"");

    private String tag;
    private List<Long> placed;

    /** 30 orders of one buyer, placed a minute apart on 2 Jan 2025 (two in the same second, to page through a tie). */
    @BeforeEach
    void orders() {
        tag = UUID.randomUUID().toString().substring(0, 8);
        long account = insert("INSERT INTO accounts (email, name, password_hash) VALUES (?, 'Lister', 'x')", "list-" + tag + "@example.com");
        Instant start = Instant.parse("2025-01-02T08:00:00Z");
        placed = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Instant at = start.plus(i == 29 ? 28 : i, ChronoUnit.MINUTES);
            long order = insert("INSERT INTO orders (account_id, status, currency, placed_at, created_at) VALUES (?, ?, 'USD', ?, ?)",
                    account, i % 3 == 0 ? "pending" : "paid", Timestamp.from(at), Timestamp.from(at));
            jdbc.sql("INSERT INTO order_lines (order_id, book_id, title, unit_price_minor, quantity) VALUES (?, ?, 'Working in Public', 2800, 1)")
                    .params(order, bookId("working-in-public")).update();
            placed.add(order);
        }
    }

    @Test
    void ordersComeNewestFirstAPageAtATimeBothWays() {
        HttpVisitor admin = admin();
        String first = admin.get("/admin/orders?q=list-" + tag).body();
        List<Long> page1 = ids(first);
        assertThat(page1).hasSize(25);
        assertThat(page1.get(0)).isEqualTo(placed.get(29) > placed.get(28) ? placed.get(29) : placed.get(28));

        String second = admin.get(link(OLDER, first)).body();
        List<Long> page2 = ids(second);
        assertThat(page2).hasSize(5).doesNotContainAnyElementsOf(page1);
        List<Long> all = new ArrayList<>(page1);
        all.addAll(page2);
        assertThat(all).containsExactlyInAnyOrderElementsOf(placed);
        assertThat(OLDER.matcher(second).find()).as("no page after the last").isFalse();

        assertThat(ids(admin.get(link(NEWER, second)).body())).isEqualTo(page1);
    }

    @Test
    void filteredByStatusAndDate() {
        HttpVisitor admin = admin();
        List<Long> pending = ids(admin.get("/admin/orders?q=list-" + tag + "&status=pending").body());
        assertThat(pending).hasSize(10).allMatch(id -> "pending".equals(status(id)));

        assertThat(ids(admin.get("/admin/orders?q=list-" + tag + "&from=2025-01-03").body())).isEmpty();
        assertThat(ids(admin.get("/admin/orders?q=list-" + tag + "&from=2025-01-02&to=2025-01-02").body())).hasSize(25);
        assertThat(admin.get("/admin/orders?from=yesterday").body()).contains("Enter the date as YYYY-MM-DD.");
    }

    @Test
    void searchedByOrderNumberEmailAndStripeIds() {
        Paid paid = paidOrder(VISA);
        HttpVisitor admin = admin();

        assertThat(ids(admin.get("/admin/orders?q=%23" + paid.orderId()).body())).containsExactly(paid.orderId());
        for (String column : List.of("checkout_session_id", "payment_intent_id", "charge_id")) {
            String stripeId = jdbc.sql("SELECT " + column + " FROM checkout_attempts WHERE order_id = ? AND status = 'paid'")
                    .param(paid.orderId()).query(String.class).single();
            assertThat(ids(admin.get("/admin/orders?q=" + stripeId).body())).as(column).containsExactly(paid.orderId());
        }
        refund(admin, paid.orderId(), "amount", "1.00", "reason", "requested_by_customer");
        String refundId = jdbc.sql("SELECT refund_id FROM refunds WHERE order_id = ?").param(paid.orderId()).query(String.class).single();
        assertThat(ids(admin.get("/admin/orders?q=" + refundId).body())).containsExactly(paid.orderId());
        assertThat(ids(admin.get("/admin/orders?q=pi_doesnotexist").body())).isEmpty();
    }

    private long insert(String sql, Object... params) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.sql(sql).params(params).update(key, "id");
        return key.getKeyAs(Number.class).longValue();
    }

    private static List<Long> ids(String page) {
        List<Long> ids = new ArrayList<>();
        Matcher row = ROW.matcher(page);
        while (row.find()) {
            ids.add(Long.parseLong(row.group(1)));
        }
        return ids;
    }

    private static String link(Pattern which, String page) {
        Matcher link = which.matcher(page);
        assertThat(link.find()).isTrue();
        return link.group(1).replace("&amp;", "&");
    }
}
