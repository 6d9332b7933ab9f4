package org.bookstore.store.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Currency;
import org.junit.jupiter.api.Test;

class MoneyTest {

    @Test
    void displaysDollarsWithCents() {
        assertThat(Money.of(2300, "USD").display()).isEqualTo("$23.00");
        assertThat(Money.of(5, "USD").display()).isEqualTo("$0.05");
    }

    @Test
    void zeroDecimalCurrenciesAreChargedAndShownInWholeUnits() {
        Money yen = Money.ofMajor(new BigDecimal("500"), Currency.getInstance("JPY"));
        assertThat(yen.minorUnits()).isEqualTo(500);
        assertThat(yen.display()).isEqualTo("\u00a5500");
        assertThat(Money.of(500, "KRW").amount()).isEqualByComparingTo("500");
    }

    @Test
    void threeDecimalCurrenciesKeepThreeDigits() {
        assertThat(Money.of(1250, "KWD").amount()).isEqualByComparingTo("1.250");
        assertThat(Money.of(1250, "KWD").display()).endsWith("1.250");
    }

    @Test
    void convertingADisplayedAmountRoundsTheWayTheDisplayDoes() {
        Money money = Money.ofMajor(new BigDecimal("2.675"), Currency.getInstance("USD"));
        assertThat(money.minorUnits()).isEqualTo(268);
        assertThat(money.display()).isEqualTo("$2.68");
    }

    @Test
    void sumsAndMultipliesInMinorUnits() {
        Money total = Money.of(2300, "USD").times(2).plus(Money.of(2800, "USD"));
        assertThat(total).isEqualTo(Money.of(7400, "USD"));
        assertThat(total.currencyCode()).isEqualTo("usd");
    }

    @Test
    void refusesToMixCurrencies() {
        assertThatThrownBy(() -> Money.of(100, "USD").plus(Money.of(100, "EUR")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
