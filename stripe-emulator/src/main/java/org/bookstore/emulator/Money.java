package org.bookstore.emulator;

import java.util.Map;
import java.util.Set;

/** Currency rules: minor units, zero-decimal currencies, minimum charge amounts. */
final class Money {
    static final Set<String> ZERO_DECIMAL = Set.of("bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg",
            "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf");
    static final Set<String> THREE_DECIMAL = Set.of("bhd", "jod", "kwd", "omr", "tnd");
    private static final Map<String, Long> MINIMUM = Map.ofEntries(
            Map.entry("usd", 50L), Map.entry("eur", 50L), Map.entry("gbp", 30L), Map.entry("jpy", 50L),
            Map.entry("aud", 50L), Map.entry("cad", 50L), Map.entry("chf", 50L), Map.entry("nzd", 50L),
            Map.entry("sgd", 50L), Map.entry("dkk", 250L), Map.entry("nok", 300L), Map.entry("sek", 300L),
            Map.entry("hkd", 400L), Map.entry("mxn", 1000L), Map.entry("pln", 200L), Map.entry("czk", 1500L),
            Map.entry("huf", 17500L), Map.entry("ron", 200L), Map.entry("bgn", 100L), Map.entry("inr", 50L),
            Map.entry("brl", 50L), Map.entry("thb", 1000L), Map.entry("aed", 200L), Map.entry("myr", 200L));
    private static final Map<String, String> SYMBOL = Map.of("usd", "$", "eur", "€", "gbp", "£", "jpy", "¥",
            "cad", "$", "aud", "$", "nzd", "$", "sgd", "$", "hkd", "$", "mxn", "$");

    private Money() {}

    static long minimum(String currency) {
        return MINIMUM.getOrDefault(currency, 50L);
    }

    static int decimals(String currency) {
        if (ZERO_DECIMAL.contains(currency)) {
            return 0;
        }
        return THREE_DECIMAL.contains(currency) ? 3 : 2;
    }

    static String format(long amount, String currency) {
        int d = decimals(currency);
        String sym = SYMBOL.getOrDefault(currency, "");
        String num;
        if (d == 0) {
            num = Long.toString(amount);
        } else {
            java.math.BigDecimal v = java.math.BigDecimal.valueOf(amount, d);
            num = String.format(java.util.Locale.ROOT, "%,." + d + "f", v);
        }
        return sym + num;
    }

    /** The presentment currencies Stripe accepts (its "Supported currencies" list), lower case as on the wire. */
    static final java.util.List<String> SUPPORTED = java.util.List.of(("usd aed afn all amd ang aoa ars aud awg azn "
            + "bam bbd bdt bgn bhd bif bmd bnd bob brl bsd bwp byn bzd cad cdf chf clp cny cop crc cve czk djf dkk "
            + "dop dzd egp etb eur fjd fkp gbp gel gip gmd gnf gtq gyd hkd hnl htg huf idr ils inr isk jmd jod jpy "
            + "kes kgs khr kmf krw kwd kyd kzt lak lbp lkr lrd lsl mad mdl mga mkd mmk mnt mop mur mvr mwk mxn myr "
            + "mzn nad ngn nio nok npr nzd omr pab pen pgk php pkr pln pyg qar ron rsd rub rwf sar sbd scr sek sgd "
            + "shp sle sos srd std szl thb tjs tnd top try ttd twd tzs uah ugx uyu uzs vnd vuv wst xaf xcd xcg xof "
            + "xpf yer zar zmw").split(" "));
    private static final Set<String> SUPPORTED_SET = Set.copyOf(SUPPORTED);

    static void validateCurrency(String currency, String param) {
        if (currency == null || !SUPPORTED_SET.contains(currency)) {
            throw StripeError.invalid("Invalid currency: " + currency + ". Stripe currently supports these "
                    + "currencies: " + String.join(", ", SUPPORTED), param);
        }
    }

    /**
     * The emulator's test-mode card fee, one rule for every currency: 2.9% of the amount, rounded half up to the
     * minor unit, plus 30 minor units (300 in three-decimal currencies). For USD cards that is Stripe's published
     * 2.9% + 30 cents; other currencies' published rates differ and are not modelled.
     */
    static long cardFee(long amount, String currency) {
        long percent = java.math.BigDecimal.valueOf(amount).multiply(new java.math.BigDecimal("0.029"))
                .setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
        return percent + (THREE_DECIMAL.contains(currency) ? 300 : 30);
    }

    static void validateAmount(long amount, String currency, String param) {
        if (amount < 0) {
            throw StripeError.invalid("Invalid non-negative integer", param);
        }
        long min = minimum(currency);
        if (amount < min) {
            throw StripeError.invalid("amount_too_small",
                    "Amount must be at least " + format(min, currency) + " " + currency, param);
        }
        if (amount > 99_999_999L) {
            throw StripeError.invalid("amount_too_large",
                    "Amount must be no more than " + format(99_999_999L, currency) + " " + currency, param);
        }
        if (THREE_DECIMAL.contains(currency) && amount % 10 != 0) {
            throw StripeError.invalid("invalid_amount",
                    "Amounts in " + currency.toUpperCase() + " must be a multiple of 10 (the smallest unit is 0.010).",
                    param);
        }
    }
}
