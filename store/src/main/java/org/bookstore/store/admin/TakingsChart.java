package org.bookstore.store.admin;

import java.time.format.DateTimeFormatter;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import org.bookstore.store.common.Money;
import org.bookstore.store.payments.PaymentRecords;
import org.springframework.web.util.HtmlUtils;

/**
 * Orders and money received per day as one server-rendered SVG: bars for the money, dots for the number of orders.
 * No script and nothing from another site; each bar has a title, and the page has the same figures as a table.
 */
final class TakingsChart {

    private static final int WIDTH = 720;
    private static final int HEIGHT = 220;
    private static final int LEFT = 56;
    private static final int BOTTOM = 28;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM", Locale.UK);

    private TakingsChart() {}

    static String svg(List<PaymentRecords.Day> days, Currency currency) {
        long most = Math.max(1, days.stream().mapToLong(day -> received(day, currency)).max().orElse(1));
        int mostOrders = Math.max(1, days.stream().mapToInt(PaymentRecords.Day::orders).max().orElse(1));
        double slot = (WIDTH - LEFT - 8) / (double) days.size();
        double plot = HEIGHT - BOTTOM - 12;
        StringBuilder svg = new StringBuilder(8192);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" role=\"img\" aria-labelledby=\"chart-title\" class=\"takings-chart\">")
                .append("<title id=\"chart-title\">Money received (bars, ").append(currency.getCurrencyCode())
                .append(") and orders paid (dots) per day, last ").append(days.size()).append(" days</title>");
        for (int i = 0; i <= 4; i++) {
            double y = 12 + plot - plot * i / 4;
            svg.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - 8).append("\" y1=\"").append(fmt(y)).append("\" y2=\"")
                    .append(fmt(y)).append("\" stroke=\"#dee2e6\"/>")
                    .append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(fmt(y + 4)).append("\" text-anchor=\"end\" font-size=\"11\" fill=\"#495057\">")
                    .append(escape(new Money(most * i / 4, currency).display().replaceAll("\\.\\d+$", ""))).append("</text>");
        }
        for (int i = 0; i < days.size(); i++) {
            PaymentRecords.Day day = days.get(i);
            long amount = received(day, currency);
            double height = plot * amount / most;
            double x = LEFT + i * slot + slot * 0.15;
            String label = DAY.format(day.date()) + ": " + new Money(amount, currency).display() + ", " + day.orders()
                    + (day.orders() == 1 ? " order" : " orders");
            svg.append("<g><title>").append(escape(label)).append("</title>")
                    .append("<rect x=\"").append(fmt(x)).append("\" y=\"").append(fmt(12 + plot - height)).append("\" width=\"")
                    .append(fmt(slot * 0.7)).append("\" height=\"").append(fmt(Math.max(height, amount > 0 ? 1 : 0)))
                    .append("\" fill=\"#1f4e79\"/>");
            if (day.orders() > 0) {
                double y = 12 + plot - plot * day.orders() / mostOrders;
                svg.append("<circle cx=\"").append(fmt(x + slot * 0.35)).append("\" cy=\"").append(fmt(y))
                        .append("\" r=\"3.5\" fill=\"#b35900\" stroke=\"#ffffff\"/>");
            }
            svg.append("</g>");
            if (i % 5 == 0 || i == days.size() - 1) {
                svg.append("<text x=\"").append(fmt(x + slot * 0.35)).append("\" y=\"").append(HEIGHT - 10)
                        .append("\" text-anchor=\"middle\" font-size=\"11\" fill=\"#495057\">").append(escape(DAY.format(day.date()))).append("</text>");
            }
        }
        return svg.append("</svg>").toString();
    }

    static long received(PaymentRecords.Day day, Currency currency) {
        Money money = day.received().get(currency);
        return money == null ? 0 : money.minorUnits();
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static String escape(String text) {
        return HtmlUtils.htmlEscape(text);
    }
}
