package org.bookstore.store.common;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.NumberFormat;
import java.util.Currency;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * An amount of money in the currency's minor unit, the unit Stripe charges in (cents for USD, yen for JPY).
 * The same exponent is used to display an amount and to send it to Stripe, so what the buyer sees is what is charged.
 */
public record Money(long minorUnits, Currency currency) {

    /** Stripe's zero-decimal currencies: an amount is sent as-is (JPY 500 is 500). */
    private static final Set<String> ZERO_DECIMAL = Set.of(
            "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF");

    /** Stripe's three-decimal currencies: amounts must end in 0 (a multiple of 10 minor units). */
    private static final Set<String> THREE_DECIMAL = Set.of("BHD", "JOD", "KWD", "OMR", "TND");

    /**
     * Each currency's format, made once: looking one up through the locale's providers cost more than the rest of a
     * cart page's rendering. A format is not safe to share between threads, so each use is given its own copy.
     */
    private static final ConcurrentMap<Currency, NumberFormat> FORMATS = new ConcurrentHashMap<>();

    public Money {
        Objects.requireNonNull(currency, "currency");
    }

    public static Money of(long minorUnits, String currencyCode) {
        return new Money(minorUnits, Currency.getInstance(currencyCode));
    }

    public static Money zero(Currency currency) {
        return new Money(0, currency);
    }

    /** Converts a displayed amount such as 2.675 to minor units, rounding half up exactly as {@link #display()} would show it. */
    public static Money ofMajor(BigDecimal amount, Currency currency) {
        BigDecimal minor = amount.setScale(exponent(currency), RoundingMode.HALF_UP).movePointRight(exponent(currency));
        return new Money(minor.longValueExact(), currency);
    }

    public static int exponent(Currency currency) {
        String code = currency.getCurrencyCode();
        if (ZERO_DECIMAL.contains(code)) {
            return 0;
        }
        return THREE_DECIMAL.contains(code) ? 3 : 2;
    }

    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.addExact(minorUnits, other.minorUnits), currency);
    }

    public Money times(long quantity) {
        return new Money(Math.multiplyExact(minorUnits, quantity), currency);
    }

    public BigDecimal amount() {
        return BigDecimal.valueOf(minorUnits, exponent(currency));
    }

    /** Lower-case ISO code, as Stripe's API takes it. */
    public String currencyCode() {
        return currency.getCurrencyCode().toLowerCase(Locale.ROOT);
    }

    /** The amount as the buyer sees it, e.g. "$23.00", "¥500", "KWD 1.250". */
    public String display() {
        NumberFormat format = (NumberFormat) FORMATS.computeIfAbsent(currency, Money::format).clone();
        return format.format(amount()).replace('\u00a0', ' ');
    }

    private static NumberFormat format(Currency currency) {
        NumberFormat format = NumberFormat.getCurrencyInstance(Locale.US);
        format.setCurrency(currency);
        format.setMinimumFractionDigits(exponent(currency));
        format.setMaximumFractionDigits(exponent(currency));
        format.setRoundingMode(RoundingMode.UNNECESSARY);
        return format;
    }

    @Override
    public String toString() {
        return display();
    }

    private void requireSameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("Cannot combine " + currency + " with " + other.currency);
        }
    }
}
