package org.bookstore.emulator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Command line: {@code java -jar stripe-emulator.jar --port 12111 [options]}. */
public final class Main {
    private Main() {}

    static final String HELP = String.join("\n",
            "Usage: java -jar stripe-emulator.jar [options]",
            "",
            "A stateful local Stripe (API version " + StripeEmulator.API_VERSION + ") for stripe-java and browsers.",
            "",
            "Options:",
            "  --port N                 port to listen on (default 12111; 0 picks a free port)",
            "  --host ADDR              address to bind (default 127.0.0.1; 0.0.0.0 for all)",
            "  --public-url URL         URL browsers reach the emulator at (default http://localhost:PORT)",
            "  --state-file PATH        load state from PATH at start, save it on exit and every 30 s",
            "  --webhook URL            send every event to URL (repeatable); prints the whsec_ secret",
            "  --webhook-events LIST    comma-separated event types for --webhook endpoints (default *)",
            "  --webhook-secret SECRET  use this whsec_ secret for --webhook endpoints instead of a random one",
            "  --webhook-time-scale X   multiply webhook retry delays and async changes by X (default 1)",
            "  --control                enable the control API under /_emulator (faults, clock, webhook chaos)",
            "  --secret-key KEY         the emulator's secret key (default sk_test_emulator; any sk_test_... key",
            "                           is accepted unless --require-keys is given)",
            "  --publishable-key KEY    the publishable key for Stripe.js (default pk_test_emulator)",
            "  --require-keys           accept only --secret-key and --publishable-key (random ones when not",
            "                           given, printed at start); any other key gets Stripe's 401",
            "  --cors-origin ORIGIN     let pages on ORIGIN (https://shop.example) call the API through Stripe.js",
            "                           (repeatable, or comma-separated; default: any origin, publishable key",
            "                           only; secret-key requests never get CORS headers)",
            "  --client-timeout SECS    time a client has to send a request, and to take its answer, before its",
            "                           connection is closed (default 10)",
            "  --log                    print one line per request",
            "  --help                   show this help",
            "");

    public static void main(String[] args) throws Exception {
        StripeEmulator em;
        try {
            em = run(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("stripe-emulator: " + e.getMessage());
            System.err.print(HELP);
            System.exit(2);
            return;
        }
        if (em == null) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            em.stop();
            done.countDown();
        }));
        done.await();
    }

    /** Parses the options, starts the emulator and prints where it listens; null after {@code --help}. */
    static StripeEmulator run(String[] args, java.io.PrintStream out) {
        StripeEmulator.Builder b = StripeEmulator.builder().port(12111);
        List<String> webhooks = new ArrayList<>();
        String events = "*";
        String secret = null;
        Path state = null;
        List<String> corsOrigins = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                v = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "--help":
                case "-h":
                    out.print(HELP);
                    return null;
                case "--control":
                    b.controlApi(true);
                    continue;
                case "--log":
                    b.requestLog(out::println);
                    continue;
                case "--require-keys":
                    b.requireKeys(true);
                    continue;
                default:
                    break;
            }
            if (v == null) {
                if (i + 1 >= args.length) {
                    fail("missing value for " + a);
                }
                v = args[++i];
            }
            try {
                switch (a) {
                    case "--port":
                        b.port(Integer.parseInt(v));
                        break;
                    case "--host":
                        b.host(v);
                        break;
                    case "--public-url":
                        b.publicUrl(v);
                        break;
                    case "--state-file":
                        state = Path.of(v);
                        b.stateFile(state);
                        break;
                    case "--webhook":
                        webhooks.add(v);
                        break;
                    case "--webhook-events":
                        events = v;
                        break;
                    case "--webhook-secret":
                        secret = v;
                        break;
                    case "--webhook-time-scale":
                        b.timeScale(Double.parseDouble(v));
                        break;
                    case "--secret-key":
                        b.secretKey(v);
                        break;
                    case "--publishable-key":
                        b.publishableKey(v);
                        break;
                    case "--cors-origin":
                        for (String o : v.split(",")) {
                            if (!o.isBlank()) {
                                corsOrigins.add(o.trim());
                            }
                        }
                        break;
                    case "--client-timeout":
                        b.clientTimeout(java.time.Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000)));
                        break;
                    default:
                        fail("unknown option " + a);
                }
            } catch (NumberFormatException e) {
                fail("invalid number for " + a + ": " + v);
            }
        }
        b.corsOrigins(corsOrigins);
        StripeEmulator em = b.build().start();
        for (String url : webhooks) {
            String existing = em.engine().locked(() -> em.engine().webhookEndpoints.idForUrl(url));
            StripeEmulator.WebhookEndpoint we;
            if (existing != null) {
                if (secret != null) {
                    String given = secret;
                    em.engine().locked(() -> em.engine().webhookEndpoints.setSecret(existing, given));
                }
                we = new StripeEmulator.WebhookEndpoint(existing, url, em.webhookSecret(existing));
            } else {
                we = em.addWebhookEndpointWithSecret(url, secret, events.split(","));
            }
            out.println("Webhook endpoint " + we.id() + " -> " + url);
            out.println("  signing secret: " + we.secret());
        }
        out.println("Stripe emulator listening on " + em.baseUrl() + " (API version "
                + StripeEmulator.API_VERSION + ")");
        out.println("  secret key: " + em.secretKey() + "   publishable key: " + em.publishableKey()
                + (em.keysRequired() ? "   (only these keys are accepted)" : ""));
        out.println("  Stripe.js may be used from " + (em.corsOrigins().isEmpty() ? "any origin"
                : String.join(", ", em.corsOrigins())));
        if (em.controlApiEnabled()) {
            out.println("  control API: " + em.baseUrl() + "/_emulator/...");
        }
        if (state != null) {
            out.println("  state file: " + state.toAbsolutePath());
        }
        return em;
    }

    private static void fail(String msg) {
        throw new IllegalArgumentException(msg);
    }
}
