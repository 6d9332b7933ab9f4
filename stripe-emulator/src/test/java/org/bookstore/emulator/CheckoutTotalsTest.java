package org.bookstore.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.exception.InvalidRequestException;
import com.stripe.model.Coupon;
import com.stripe.model.LineItem;
import com.stripe.model.Price;
import com.stripe.model.Product;
import com.stripe.model.PromotionCode;
import com.stripe.model.ShippingRate;
import com.stripe.model.TaxRate;
import com.stripe.model.checkout.Session;
import com.stripe.param.CouponCreateParams;
import com.stripe.param.ProductCreateParams;
import com.stripe.param.PromotionCodeCreateParams;
import com.stripe.param.ShippingRateCreateParams;
import com.stripe.param.TaxRateCreateParams;
import com.stripe.param.checkout.SessionCreateParams;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Checkout Session totals with coupons, promotion codes, shipping rates and manual tax rates, as Stripe adds them. */
class CheckoutTotalsTest extends EmulatorTestBase {

    static Coupon percentOff(String pct) throws Exception {
        return stripe.v1().coupons().create(CouponCreateParams.builder().setPercentOff(new BigDecimal(pct))
                .setName(pct + "% off").build());
    }

    static ShippingRate rate(String name, long amount) throws Exception {
        return stripe.v1().shippingRates().create(ShippingRateCreateParams.builder().setDisplayName(name)
                .setType(ShippingRateCreateParams.Type.FIXED_AMOUNT)
                .setFixedAmount(ShippingRateCreateParams.FixedAmount.builder().setAmount(amount).setCurrency("usd")
                        .build()).build());
    }

    static TaxRate tax(String pct, boolean inclusive) throws Exception {
        return stripe.v1().taxRates().create(TaxRateCreateParams.builder().setDisplayName("Sales tax")
                .setPercentage(new BigDecimal(pct)).setInclusive(inclusive).build());
    }

    static SessionCreateParams.LineItem item(String name, long amount, long qty, String taxRate) {
        SessionCreateParams.LineItem.Builder b = SessionCreateParams.LineItem.builder().setQuantity(qty)
                .setPriceData(SessionCreateParams.LineItem.PriceData.builder().setCurrency("usd").setUnitAmount(amount)
                        .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder().setName(name)
                                .build()).build());
        if (taxRate != null) {
            b.addTaxRate(taxRate);
        }
        return b.build();
    }

    /** Dune 2 x 12.50 and Emma 8.99 (33.99), 10% off, 8% tax on both, 5.00 shipping. */
    static SessionCreateParams.Builder dressed(String successUrl, ShippingRate... rates) throws Exception {
        TaxRate t = tax("8", false);
        SessionCreateParams.Builder b = SessionCreateParams.builder().setMode(SessionCreateParams.Mode.PAYMENT)
                .addLineItem(item("Dune", 1250, 2, t.getId())).addLineItem(item("Emma", 899, 1, t.getId()))
                .addDiscount(SessionCreateParams.Discount.builder().setCoupon(percentOff("10").getId()).build())
                .setSuccessUrl(successUrl);
        for (ShippingRate r : rates) {
            b.addShippingOption(SessionCreateParams.ShippingOption.builder().setShippingRate(r.getId()).build());
        }
        return b;
    }

    @Test
    void couponShippingAndTaxAddUpAsStripeDoes() throws Exception {
        ShippingRate ground = rate("Ground", 500);
        Session s = stripe.v1().checkout().sessions().create(dressed("https://shop.example/ok", ground).build());
        // 10% of 33.99 is 3.40, spread 2.50 / 0.90; 8% of 22.50 is 1.80 and of 8.09 is 0.65
        assertThat(s.getAmountSubtotal()).isEqualTo(3399L);
        assertThat(s.getTotalDetails().getAmountDiscount()).isEqualTo(340L);
        assertThat(s.getTotalDetails().getAmountTax()).isEqualTo(245L);
        assertThat(s.getTotalDetails().getAmountShipping()).isEqualTo(500L);
        assertThat(s.getAmountTotal()).isEqualTo(3399L - 340 + 245 + 500);
        assertThat(s.getShippingCost().getShippingRate()).isEqualTo(ground.getId());
        assertThat(s.getShippingCost().getAmountTotal()).isEqualTo(500L);
        assertThat(s.getShippingOptions()).singleElement()
                .satisfies(o -> assertThat(o.getShippingAmount()).isEqualTo(500L));
        assertThat(s.getDiscounts()).singleElement().satisfies(d -> assertThat(d.getCoupon()).isNotNull());

        List<LineItem> items = stripe.v1().checkout().sessions().lineItems().list(s.getId()).getData();
        assertThat(items).extracting(LineItem::getAmountDiscount).containsExactly(250L, 90L);
        assertThat(items).extracting(LineItem::getAmountTax).containsExactly(180L, 65L);
        assertThat(items).extracting(LineItem::getAmountTotal).containsExactly(2430L, 874L);
    }

    @Test
    void inclusiveTaxIsInsideThePriceAndAmountOffComesOffOnce() throws Exception {
        Coupon twoOff = stripe.v1().coupons().create(CouponCreateParams.builder().setAmountOff(200L)
                .setCurrency("usd").build());
        Session s = stripe.v1().checkout().sessions().create(SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT).addLineItem(item("Dune", 1400, 1, tax("20", true).getId()))
                .addDiscount(SessionCreateParams.Discount.builder().setCoupon(twoOff.getId()).build())
                .setSuccessUrl("https://shop.example/ok").build());
        // 12.00 after the discount, of which 20% VAT inside: 2.00
        assertThat(s.getAmountTotal()).isEqualTo(1200L);
        assertThat(s.getTotalDetails().getAmountTax()).isEqualTo(200L);
        assertThat(s.getTotalDetails().getAmountDiscount()).isEqualTo(200L);

        Coupon euros = stripe.v1().coupons().create(CouponCreateParams.builder().setAmountOff(200L)
                .setCurrency("eur").build());
        assertThatThrownBy(() -> stripe.v1().checkout().sessions().create(SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT).addLineItem(item("Dune", 1400, 1, null))
                .addDiscount(SessionCreateParams.Discount.builder().setCoupon(euros.getId()).build())
                .setSuccessUrl("https://shop.example/ok").build()))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.getParam()).isEqualTo("discounts[0][coupon]"));
    }

    @Test
    void promotionCodesApplyTheirCouponAndRestrictions() throws Exception {
        Coupon c = percentOff("25");
        PromotionCode code = stripe.v1().promotionCodes().create(PromotionCodeCreateParams.builder()
                .setPromotion(PromotionCodeCreateParams.Promotion.builder().setCoupon(c.getId())
                        .setType(PromotionCodeCreateParams.Promotion.Type.COUPON).build())
                .setCode("READ25").setRestrictions(PromotionCodeCreateParams.Restrictions.builder()
                        .setMinimumAmount(2000L).setMinimumAmountCurrency("usd").build()).build());
        assertThat(code.getPromotion().getCoupon()).isEqualTo(c.getId());
        assertThat(code.getCode()).isEqualTo("READ25");

        Session s = stripe.v1().checkout().sessions().create(SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT).addLineItem(item("Dune", 2400, 1, null))
                .addDiscount(SessionCreateParams.Discount.builder().setPromotionCode(code.getId()).build())
                .setSuccessUrl("https://shop.example/ok").build());
        assertThat(s.getAmountTotal()).isEqualTo(1800L);
        assertThat(s.getDiscounts().get(0).getPromotionCode()).isEqualTo(code.getId());

        assertThatThrownBy(() -> stripe.v1().checkout().sessions().create(SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT).addLineItem(item("Dune", 1000, 1, null))
                .addDiscount(SessionCreateParams.Discount.builder().setPromotionCode(code.getId()).build())
                .setSuccessUrl("https://shop.example/ok").build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("minimum purchase");
        assertThatThrownBy(() -> stripe.v1().checkout().sessions().create(SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT).addLineItem(item("Dune", 2400, 1, null))
                .setAllowPromotionCodes(true)
                .addDiscount(SessionCreateParams.Discount.builder().setPromotionCode(code.getId()).build())
                .setSuccessUrl("https://shop.example/ok").build()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("only specify one of these parameters: allow_promotion_codes, discounts");
        // paying redeems it
        assertThat(CheckoutSessionTest.pay(s, "4242424242424242")).startsWith("https://shop.example/ok");
        assertThat(stripe.v1().promotionCodes().retrieve(code.getId()).getTimesRedeemed()).isEqualTo(1L);
        assertThat(stripe.v1().coupons().retrieve(c.getId()).getTimesRedeemed()).isEqualTo(1L);
        assertThat(stripe.v1().paymentIntents().retrieve(stripe.v1().checkout().sessions().retrieve(s.getId())
                .getPaymentIntent()).getAmount()).isEqualTo(1800L);
    }

    @Test
    void automaticTaxIsRefusedClearly() {
        assertThatThrownBy(() -> stripe.v1().checkout().sessions().create(SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT).addLineItem(item("Dune", 1400, 1, null))
                .setAutomaticTax(SessionCreateParams.AutomaticTax.builder().setEnabled(true).build())
                .setSuccessUrl("https://shop.example/ok").build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(e.getParam()).isEqualTo("automatic_tax[enabled]");
                    assertThat(e.getStripeError().getMessage()).contains("emulator cannot compute tax");
                });
    }

    @Test
    void productWithDefaultPriceData() throws Exception {
        Product p = stripe.v1().products().create(ProductCreateParams.builder().setName("Middlemarch")
                .setDefaultPriceData(ProductCreateParams.DefaultPriceData.builder().setCurrency("usd")
                        .setUnitAmount(1499L).build()).build());
        assertThat(p.getDefaultPrice()).startsWith("price_");
        Price price = stripe.v1().prices().retrieve(p.getDefaultPrice());
        assertThat(price.getUnitAmount()).isEqualTo(1499L);
        assertThat(price.getProduct()).isEqualTo(p.getId());
        assertThatThrownBy(() -> stripe.v1().products().create(ProductCreateParams.builder().setName("Bad")
                .setDefaultPriceData(ProductCreateParams.DefaultPriceData.builder().setCurrency("xyz")
                        .setUnitAmount(1499L).build()).build()))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.getParam()).isEqualTo("default_price_data[currency]"));
    }
}
