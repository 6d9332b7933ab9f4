package org.bookstore.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;

/** Stripe's test card numbers and their behaviour. */
final class Cards {
    /** What happens when a card is charged. */
    static final class Behaviour {
        final String code; // error code when declined, null when approved
        final String declineCode;
        final String message;
        final boolean threeDs;
        final boolean dispute;
        final String refund; // null, "pending", "fail"
        final String afterAuthDecline; // decline code applied after 3-D Secure succeeds

        Behaviour(String code, String declineCode, String message, boolean threeDs, boolean dispute, String refund,
                String afterAuthDecline) {
            this.code = code;
            this.declineCode = declineCode;
            this.message = message;
            this.threeDs = threeDs;
            this.dispute = dispute;
            this.refund = refund;
            this.afterAuthDecline = afterAuthDecline;
        }

        boolean declines() {
            return code != null;
        }
    }

    static final Behaviour OK = new Behaviour(null, null, null, false, false, null, null);
    private static final Map<String, Behaviour> BY_NUMBER = new HashMap<>();
    /** pm_card_* / tok_* aliases to numbers. */
    static final Map<String, String> ALIASES = new HashMap<>();

    static {
        decline("4000000000000002", "card_declined", "generic_decline");
        decline("4000000000009995", "card_declined", "insufficient_funds");
        decline("4000000000009987", "card_declined", "lost_card");
        decline("4000000000009979", "card_declined", "stolen_card");
        decline("4000000000000069", "expired_card", "expired_card");
        decline("4000000000000127", "incorrect_cvc", "incorrect_cvc");
        decline("4000000000000119", "processing_error", "processing_error");
        decline("4100000000000019", "card_declined", "fraudulent");
        BY_NUMBER.put("4000002500003155", new Behaviour(null, null, null, true, false, null, null));
        BY_NUMBER.put("4000000000003220", new Behaviour(null, null, null, true, false, null, null));
        BY_NUMBER.put("4000002760003184", new Behaviour(null, null, null, true, false, null, null));
        BY_NUMBER.put("4000008260003178", new Behaviour(null, null, null, true, false, null, "insufficient_funds"));
        BY_NUMBER.put("4000000000000259", new Behaviour(null, null, null, false, true, null, null));
        BY_NUMBER.put("4000000000007726", new Behaviour(null, null, null, false, false, "pending", null));
        BY_NUMBER.put("4000000000005126", new Behaviour(null, null, null, false, false, "fail", null));

        alias("visa", "4242424242424242");
        alias("visa_debit", "4000056655665556");
        alias("mastercard", "5555555555554444");
        alias("mastercard_debit", "5200828282828210");
        alias("mastercard_prepaid", "5105105105105100");
        alias("amex", "378282246310005");
        alias("discover", "6011111111111117");
        alias("diners", "3056930009020004");
        alias("jcb", "3566002020360505");
        alias("unionpay", "6200000000000005");
        alias("visa_chargeDeclined", "4000000000000002");
        alias("chargeDeclined", "4000000000000002");
        alias("visa_chargeDeclinedInsufficientFunds", "4000000000009995");
        alias("chargeDeclinedInsufficientFunds", "4000000000009995");
        alias("visa_chargeDeclinedLostCard", "4000000000009987");
        alias("chargeDeclinedLostCard", "4000000000009987");
        alias("visa_chargeDeclinedStolenCard", "4000000000009979");
        alias("chargeDeclinedStolenCard", "4000000000009979");
        alias("chargeDeclinedExpiredCard", "4000000000000069");
        alias("chargeDeclinedIncorrectCvc", "4000000000000127");
        alias("chargeDeclinedProcessingError", "4000000000000119");
        alias("chargeDeclinedFraudulent", "4100000000000019");
        alias("threeDSecure2Required", "4000000000003220");
        alias("threeDSecureRequired", "4000002500003155");
        alias("authenticationRequiredOnSetup", "4000002500003155");
        alias("authenticationRequired", "4000002760003184");
        alias("authenticationRequiredChargeDeclinedInsufficientFunds", "4000008260003178");
        alias("createDispute", "4000000000000259");
        alias("pendingRefund", "4000000000007726");
        alias("refundFail", "4000000000005126");
    }

    private Cards() {}

    private static void decline(String number, String code, String declineCode) {
        BY_NUMBER.put(number, new Behaviour(code, declineCode, message(declineCode), false, false, null, null));
    }

    private static void alias(String name, String number) {
        ALIASES.put("pm_card_" + name, number);
        ALIASES.put("tok_" + name, number);
    }

    static String message(String declineCode) {
        switch (declineCode) {
            case "insufficient_funds":
                return "Your card has insufficient funds.";
            case "authentication_required":
                return "Your card was declined. This transaction requires authentication.";
            case "expired_card":
                return "Your card has expired.";
            case "incorrect_cvc":
                return "Your card's security code is incorrect.";
            case "processing_error":
                return "An error occurred while processing your card. Try again in a little bit.";
            case "test_mode_live_card":
                return "Your card was declined. Your request was in test mode, but used a non test (live) card. "
                        + "For a list of valid test cards, visit: https://stripe.com/docs/testing.";
            default:
                return "Your card was declined.";
        }
    }

    static String errorCode(String declineCode) {
        switch (declineCode) {
            case "expired_card":
            case "incorrect_cvc":
            case "processing_error":
                return declineCode;
            default:
                return "card_declined";
        }
    }

    static Behaviour behaviour(String number) {
        Behaviour b = BY_NUMBER.get(number);
        if (b != null) {
            return b;
        }
        if (isTestNumber(number)) {
            return OK;
        }
        return new Behaviour("card_declined", "test_mode_live_card", message("test_mode_live_card"), false, false,
                null, null);
    }

    private static boolean isTestNumber(String n) {
        return ALIASES.containsValue(n) || n.startsWith("4242424242424242") || n.startsWith("400000")
                || n.startsWith("4000") || n.equals("5200828282828210") || n.equals("2223003122003222")
                || n.equals("371449635398431") || n.equals("6011000990139424") || n.equals("36227206271667")
                || n.equals("3566002020360505") || n.startsWith("5555555555554444") || n.startsWith("4000056655665556");
    }

    static boolean luhn(String n) {
        int sum = 0;
        boolean dbl = false;
        for (int i = n.length() - 1; i >= 0; i--) {
            int d = n.charAt(i) - '0';
            if (dbl) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }

    static String brand(String n) {
        if (n.startsWith("4")) {
            return "visa";
        }
        if (n.matches("^(5[1-5]|2[2-7]).*")) {
            return "mastercard";
        }
        if (n.startsWith("34") || n.startsWith("37")) {
            return "amex";
        }
        if (n.startsWith("6011") || n.startsWith("65") || n.startsWith("64")) {
            return "discover";
        }
        if (n.startsWith("36") || n.startsWith("30") || n.startsWith("38")) {
            return "diners";
        }
        if (n.startsWith("35")) {
            return "jcb";
        }
        if (n.startsWith("62")) {
            return "unionpay";
        }
        return "unknown";
    }

    static String funding(String n) {
        if (n.equals("4000056655665556") || n.equals("5200828282828210")) {
            return "debit";
        }
        if (n.equals("5105105105105100")) {
            return "prepaid";
        }
        return "credit";
    }

    static String fingerprint(String n) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(("fp:" + n).getBytes(StandardCharsets.UTF_8));
            String alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                sb.append(alpha.charAt((h[i] & 0xff) % alpha.length()));
            }
            return sb.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
