package org.bookstore.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A stateful local Stripe: the HTTP API that stripe-java talks to, hosted Checkout pages, 3-D Secure test pages and
 * signed webhooks. Start it from code with {@link #builder()} or from the command line with {@link Main}.
 */
public final class StripeEmulator implements AutoCloseable {
    /** The API version the emulator speaks and stamps on events by default. */
    public static final String API_VERSION = Engine.API_VERSION;

    static {
        // Without TCP_NODELAY, small responses wait for the client's delayed ACK (about 40 ms each).
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final Builder cfg;
    private final String secretKey;
    private final String publishableKey;
    private final CrossOrigin crossOrigin;
    private final Engine engine;
    private final Webhooks webhooks;
    private final Api api;
    private final Pages pages;
    private final Control control;
    private final Dashboard dashboard;
    private HttpServer server;
    private RequestThreads threads;
    private ScheduledExecutorService ticker;
    private String baseUrl;
    private int port;

    /** Configures an emulator. */
    public static final class Builder {
        private int port;
        private String host = "127.0.0.1";
        private String publicUrl;
        private boolean control;
        private double timeScale = 1.0;
        private Path stateFile;
        private Duration webhookTimeout = Duration.ofSeconds(10);
        private int webhookMaxAttempts = 4;
        private Duration idempotencyWait = Duration.ofSeconds(10);
        private String secretKey;
        private String publishableKey;
        private boolean requireKeys;
        private List<String> corsOrigins = List.of();
        private Duration clientTimeout = Duration.ofSeconds(10);
        private int threads = 1024;
        private java.util.function.Consumer<String> requestLog;

        private Builder() {}

        /** Receives one line per request: method, path, status, milliseconds, request id. */
        public Builder requestLog(java.util.function.Consumer<String> log) {
            this.requestLog = log;
            return this;
        }

        /** Port to listen on; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Address to bind (default 127.0.0.1; 0.0.0.0 for all interfaces). */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The URL clients and browsers reach the emulator at, if not {@code http://localhost:PORT}. */
        public Builder publicUrl(String url) {
            this.publicUrl = url;
            return this;
        }

        /** Enables the control API under {@code /_emulator}. */
        public Builder controlApi(boolean enabled) {
            this.control = enabled;
            return this;
        }

        /**
         * Multiplies webhook retry delays (1 min, 5 min, 25 min, ...) and the delay of asynchronous state changes
         * (2 s: disputes, refund updates). 0.001 makes a 1 min retry take 60 ms.
         */
        public Builder timeScale(double scale) {
            if (scale <= 0) {
                throw new IllegalArgumentException("time scale must be positive");
            }
            this.timeScale = scale;
            return this;
        }

        /** Loads state from this file on start (when it exists) and saves it on stop and every 30 seconds. */
        public Builder stateFile(Path file) {
            this.stateFile = file;
            return this;
        }

        /** How long a webhook receiver may take to answer (default 10 s). */
        public Builder webhookTimeout(Duration timeout) {
            this.webhookTimeout = timeout;
            return this;
        }

        /** Delivery attempts per event and endpoint, the first included (default 4). */
        public Builder webhookMaxAttempts(int attempts) {
            this.webhookMaxAttempts = attempts;
            return this;
        }

        /** How long a concurrent request with an in-flight idempotency key waits before a 409 (default 10 s). */
        public Builder idempotencyWait(Duration wait) {
            this.idempotencyWait = wait;
            return this;
        }

        /**
         * The emulator's secret key, reported by {@link StripeEmulator#secretKey()} (default {@code sk_test_emulator},
         * or a random one with {@link #requireKeys(boolean)}). Other {@code sk_test_...} keys work too unless keys are
         * required.
         */
        public Builder secretKey(String key) {
            this.secretKey = key;
            return this;
        }

        /**
         * The emulator's publishable key, for Stripe.js (default {@code pk_test_emulator}, or a random one with
         * {@link #requireKeys(boolean)}).
         */
        public Builder publishableKey(String key) {
            this.publishableKey = key;
            return this;
        }

        /**
         * With true, only the emulator's secret key, and its publishable key where Stripe accepts one, are accepted;
         * any other key gets Stripe's 401. Keys not given are then random, so nobody else on the machine can guess
         * them. Default false: any {@code sk_test_}, {@code rk_test_} or {@code pk_test_} key works.
         */
        public Builder requireKeys(boolean required) {
            this.requireKeys = required;
            return this;
        }

        /**
         * The origins (such as {@code https://shop.example}) whose pages may call the API through Stripe.js, with the
         * publishable key. Empty (the default) allows Stripe.js on any origin, as Stripe does; requests with a
         * secret key never get CORS headers whatever this says.
         */
        public Builder corsOrigins(List<String> origins) {
            List<String> checked = new ArrayList<>();
            for (String o : origins) {
                checked.add(CrossOrigin.origin(o));
            }
            this.corsOrigins = List.copyOf(checked);
            return this;
        }

        /**
         * How long a client has to send a whole request, and again to take its answer (default 10 s). Slower
         * connections are closed, so they cannot hold the emulator's threads.
         */
        public Builder clientTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("client timeout must be positive");
            }
            this.clientTimeout = timeout;
            return this;
        }

        /**
         * Most requests served at once (default 1024). Threads are made as needed and leave when idle; a connection
         * arriving when all are busy is closed.
         */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1");
            }
            this.threads = threads;
            return this;
        }

        public StripeEmulator build() {
            return new StripeEmulator(this);
        }

        /** Builds and starts. */
        public StripeEmulator start() {
            return build().start();
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    private StripeEmulator(Builder b) {
        this.cfg = b;
        this.secretKey = b.secretKey != null ? b.secretKey : b.requireKeys ? "sk_test_" + Ids.random(24)
                : "sk_test_emulator";
        this.publishableKey = b.publishableKey != null ? b.publishableKey : b.requireKeys ? "pk_test_" + Ids.random(24)
                : "pk_test_emulator";
        if (b.requireKeys && !(secretKey.matches("(sk|rk)_test_[A-Za-z0-9_]+")
                && publishableKey.matches("pk_test_[A-Za-z0-9_]+"))) {
            // any other shape would be refused as an invalid key before it is compared
            throw new IllegalArgumentException("required keys must look like sk_test_... and pk_test_... (letters, "
                    + "digits and underscores)");
        }
        this.crossOrigin = new CrossOrigin(b.corsOrigins);
        Engine[] holder = new Engine[1];
        this.webhooks = new Webhooks(b.timeScale, b.webhookTimeout, b.webhookMaxAttempts,
                id -> holder[0].locked(() -> holder[0].events.delivered(id)));
        this.engine = new Engine(new Engine.Host() {
            @Override
            public String baseUrl() {
                return StripeEmulator.this.baseUrl;
            }

            @Override
            public double timeScale() {
                return cfg.timeScale;
            }

            @Override
            public Webhooks webhooks() {
                return webhooks;
            }
        });
        holder[0] = engine;
        this.api = new Api(engine, b.idempotencyWait.toMillis(),
                new Api.Keys(secretKey, publishableKey, b.requireKeys));
        this.pages = new Pages(engine);
        this.control = new Control(this);
        this.dashboard = new Dashboard(engine, webhooks);
    }

    /** Starts listening; returns this. */
    public synchronized StripeEmulator start() {
        if (server != null) {
            return this;
        }
        try {
            if (cfg.stateFile != null && Files.exists(cfg.stateFile)) {
                StateFile.ownerOnly(cfg.stateFile);
                engine.restore(Json.read(Files.readString(cfg.stateFile)));
            }
            server = HttpServer.create(new InetSocketAddress(cfg.host, cfg.port), 512);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Stripe emulator: " + e.getMessage(), e);
        }
        threads = new RequestThreads(cfg.threads, cfg.clientTimeout.toMillis());
        server.setExecutor(threads);
        server.createContext("/", this::serve);
        server.start();
        port = server.getAddress().getPort();
        baseUrl = cfg.publicUrl != null ? stripSlash(cfg.publicUrl) : "http://localhost:" + port;
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stripe-emulator-clock");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::tickQuietly, 50, 50, TimeUnit.MILLISECONDS);
        ticker.scheduleWithFixedDelay(this::cutOffSlowClientsQuietly, 250, 250, TimeUnit.MILLISECONDS);
        if (cfg.stateFile != null) {
            ticker.scheduleWithFixedDelay(this::saveQuietly, 30, 30, TimeUnit.SECONDS);
        }
        return this;
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private void tickQuietly() {
        try {
            engine.tick();
        } catch (RuntimeException e) {
            System.err.println("stripe-emulator: " + e);
        }
    }

    private void cutOffSlowClientsQuietly() {
        try {
            threads.cutOffSlowClients();
        } catch (RuntimeException e) {
            // an exception would end the schedule: the next run tries again
            System.err.println("stripe-emulator: " + e);
        }
    }

    private void saveQuietly() {
        try {
            saveState();
        } catch (RuntimeException e) {
            System.err.println("stripe-emulator: cannot save state: " + e.getMessage());
        }
    }

    /** Stops the server (saving state when a state file is configured). */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.stop(0);
        server = null;
        ticker.shutdownNow();
        threads.shutdown();
        webhooks.shutdown();
        if (cfg.stateFile != null) {
            saveQuietly();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Writes the state file now (no-op without one). */
    public void saveState() {
        if (cfg.stateFile == null) {
            return;
        }
        StateFile.write(cfg.stateFile, Json.write(engine.snapshot()));
    }

    /** E.g. {@code http://localhost:12111}: pass it to {@code StripeClient.builder().setApiBase(..)}. */
    public String baseUrl() {
        return baseUrl;
    }

    public int port() {
        return port;
    }

    /** The emulator's secret key: with {@link Builder#requireKeys(boolean)} the only one it accepts. */
    public String secretKey() {
        return secretKey;
    }

    /** The publishable key for Stripe.js: with {@link Builder#requireKeys(boolean)} the only one it accepts. */
    public String publishableKey() {
        return publishableKey;
    }

    /** Whether only {@link #secretKey()} and {@link #publishableKey()} are accepted. */
    public boolean keysRequired() {
        return cfg.requireKeys;
    }

    /** The origins allowed to call the API through Stripe.js; empty when any origin may. */
    /**
     * Allows pages on one more origin to use Stripe.js with this emulator, for an application that learns its own
     * address only once it has started (a random port). Once any origin is allowed, only the allowed ones are.
     */
    public void allowCorsOrigin(String origin) {
        crossOrigin.allow(origin);
    }

    public List<String> corsOrigins() {
        return crossOrigin.origins();
    }

    public boolean controlApiEnabled() {
        return cfg.control;
    }

    // ------------------------------------------------------------------ test controls

    /** Forgets every object, event, delivery record, fault and idempotency key; the clock goes back to now. */
    public void reset() {
        webhooks.resetChaos();
        webhooks.clearAttempts();
        api.clearFaults();
        api.clearIdempotency();
        engine.reset();
    }

    /**
     * The next {@code count} requests matching method ({@code null} or "*" for any) and path prefix fail. A prefix
     * ending in {@code $} matches that one path only.
     */
    public void failNext(String method, String pathPrefix, int count, int status) {
        api.addFault(new Api.Fault(method, pathPrefix, count, status, 0, null));
    }

    /** As {@link #failNext(String, String, int, int)} with an explicit {@code Stripe-Should-Retry} header value. */
    public void failNext(String method, String pathPrefix, int count, int status, String stripeShouldRetry) {
        api.addFault(new Api.Fault(method, pathPrefix, count, status, 0, stripeShouldRetry));
    }

    /**
     * The next {@code count} matching requests are processed, then their response is held back for {@code millis}
     * (as when Stripe did the work but the client timed out).
     */
    public void hangNext(String method, String pathPrefix, int count, long millis) {
        api.addFault(new Api.Fault(method, pathPrefix, count, 0, millis, null));
    }

    /**
     * The next {@code count} matching requests stay in flight for {@code millis} before they are processed (a
     * concurrent request with the same idempotency key waits for them, or gets a 409).
     */
    public void stallNext(String method, String pathPrefix, int count, long millis) {
        Api.Fault f = new Api.Fault(method, pathPrefix, count, 0, millis, null);
        f.hangBefore = true;
        api.addFault(f);
    }

    /** Lets requests held by {@link #stallNext} go on at once, so a test ends a stall when it has seen what it needed. */
    public void releaseStalls() {
        api.releaseStalls();
    }

    /** The next {@code count} matching requests are not processed: the connection closes without an answer. */
    public void dropNext(String method, String pathPrefix, int count) {
        Api.Fault f = new Api.Fault(method, pathPrefix, count, 0, 0, null);
        f.drop = true;
        api.addFault(f);
    }

    /** How many injected faults have not hit a request yet: 0 once every faulted request has arrived. */
    public int pendingFaultCount() {
        return api.pendingFaults();
    }

    /** Removes pending request faults. */
    public void clearFaults() {
        api.clearFaults();
    }

    /** Moves the emulator's clock forward: sessions past {@code expires_at} expire, due async changes happen. */
    public void advanceClock(long seconds) {
        engine.advanceClock(seconds);
    }

    /** The emulator's current time, epoch seconds. */
    public long now() {
        return engine.now();
    }

    /** Creates a webhook endpoint receiving {@code events} (default "*") and returns its {@code whsec_} secret. */
    public WebhookEndpoint addWebhookEndpoint(String url, String... events) {
        return addWebhookEndpointWithSecret(url, null, events);
    }

    /** As {@link #addWebhookEndpoint(String, String...)}, with a fixed secret (null: generated). */
    public WebhookEndpoint addWebhookEndpointWithSecret(String url, String secret, String... events) {
        Params p = Params.empty();
        p.root.put("url", url);
        List<Object> ev = new ArrayList<>(events.length == 0 ? List.of("*") : List.of((Object[]) events));
        p.root.put("enabled_events", ev);
        p.root.put("api_version", API_VERSION);
        ObjectNode we = engine.locked(() -> engine.webhookEndpoints.create(p));
        String id = we.path("id").asText();
        if (secret != null) {
            engine.locked(() -> engine.webhookEndpoints.setSecret(id, secret));
        }
        return new WebhookEndpoint(id, url, engine.locked(() -> engine.webhookEndpoints.secret(id)));
    }

    /** A webhook endpoint's id, URL and signing secret. */
    public record WebhookEndpoint(String id, String url, String secret) {}

    /** The signing secret of a webhook endpoint, or null. */
    public String webhookSecret(String endpointId) {
        return engine.locked(() -> engine.webhookEndpoints.secret(endpointId));
    }

    /** Every webhook delivery attempt so far, oldest first. */
    public List<DeliveryAttempt> deliveryAttempts() {
        return webhooks.attempts();
    }

    /** The next {@code n} events are delivered twice, and also re-sent under a second event id. */
    public void duplicateNextEvents(int n) {
        webhooks.duplicateNext(n);
    }

    /** Holds the next {@code n} events' deliveries, then sends them in reverse order. */
    public void reorderNextEvents(int n) {
        webhooks.reorderNext(n);
    }

    /** Delays the first delivery attempt of the next {@code n} events by {@code millis}. */
    public void delayNextEvents(int n, long millis) {
        webhooks.delayNext(n, millis);
    }

    /** Holds every delivery until {@link #releaseEvents(boolean)}. */
    public void holdEvents() {
        webhooks.hold();
    }

    /** Sends held deliveries, in order or reversed. */
    public void releaseEvents(boolean reverse) {
        webhooks.release(reverse);
    }

    /** Deliveries currently held. */
    public int heldEventCount() {
        return webhooks.heldCount();
    }

    /** The next {@code n} delivery attempts carry a wrong signature. */
    public void corruptNextSignatures(int n) {
        webhooks.corruptNext(n);
    }

    /** Sends an event again to every matching endpoint, or only to {@code endpointId} when given. */
    public int resendEvent(String eventId, String endpointId) {
        return engine.locked(() -> engine.events.resend(eventId, endpointId));
    }

    /** Every event so far, newest first, as JSON text. */
    public List<String> eventsJson() {
        List<String> out = new ArrayList<>();
        List<ObjectNode> all = engine.all("event");
        java.util.Collections.reverse(all);
        all.forEach(e -> out.add(Json.write(e)));
        return out;
    }

    /** Every stored object of a type ("customer", "payment_intent", "checkout.session", ...), as JSON text. */
    public List<String> objectsJson(String type) {
        List<String> out = new ArrayList<>();
        engine.all(type).forEach(e -> out.add(Json.write(e)));
        return out;
    }

    Engine engine() {
        return engine;
    }

    Api api() {
        return api;
    }

    Webhooks webhooks() {
        return webhooks;
    }

    /** Requests being served now, from their first byte to their last: slow clients' included. */
    int requestsInProgress() {
        return threads == null ? 0 : threads.active();
    }

    // ------------------------------------------------------------------ HTTP

    /**
     * Answers one request. Whatever happens while handling it, a StackOverflowError or an OutOfMemoryError included,
     * this request gets a 500 or a closed connection and the server goes on serving the others.
     */
    private void serve(HttpExchange ex) {
        String requestId = "req_" + Ids.random(14);
        long started = System.nanoTime();
        Api.Resp r = null;
        try {
            r = answer(ex, requestId);
            if (r != null) {
                send(ex, r, requestId);
            }
        } catch (IOException e) {
            // the client went away, or was too slow and was cut off
        } catch (Throwable e) {
            // e.g. an OutOfMemoryError while sending: nothing more to say on this connection
        } finally {
            ex.close();
            log(ex, r, started, requestId);
        }
    }

    /** The answer to a request, or null when there is nobody left to answer. */
    private Api.Resp answer(HttpExchange ex, String requestId) throws IOException {
        try {
            String body = RequestBody.read(ex);
            if (!RequestThreads.arrived()) {
                return null;
            }
            return dispatch(ex, body, requestId);
        } catch (StripeError e) {
            if (!RequestThreads.arrived()) {
                return null;
            }
            Api.Resp r = Api.Resp.json(e.status, e.body());
            r.headers.putAll(e.headers);
            return r;
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            return internalError(e);
        }
    }

    private static Api.Resp internalError(Throwable e) {
        try {
            String what = String.valueOf(e);
            return Api.Resp.json(500, new StripeError(500, "api_error", null, null, "An unknown error occurred: "
                    + (what.length() > 300 ? what.substring(0, 300) + "..." : what), null).body());
        } catch (Throwable again) {
            // out of memory even for the error: a 500 without a body
            return new Api.Resp(500, new byte[0]);
        }
    }

    private void send(HttpExchange ex, Api.Resp r, String requestId) throws IOException {
        if (r.drop) {
            // a network failure: no status line at all
            return;
        }
        if (r.delayMillis > 0) {
            try {
                Thread.sleep(r.delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        String path = ex.getRequestURI().getPath();
        var h = ex.getResponseHeaders();
        h.set("Request-Id", requestId);
        for (Map.Entry<String, String> e : r.headers.entrySet()) {
            h.set(e.getKey(), e.getValue());
        }
        if (path.startsWith("/v1/")) {
            String sv = ex.getRequestHeaders().getFirst("Stripe-Version");
            h.set("Stripe-Version", sv == null ? API_VERSION : sv);
            // per request, never into the answer itself: an idempotent replay may go to another origin
            crossOrigin.answer(ex.getRequestMethod().toUpperCase(), path, ex.getRequestHeaders().getFirst("Origin"),
                    ex.getRequestHeaders().getFirst("Authorization")).forEach(h::set);
        }
        RequestThreads.answering();
        boolean head = ex.getRequestMethod().equals("HEAD");
        if (r.body.length == 0 || head) {
            ex.sendResponseHeaders(r.status, -1);
        } else {
            ex.sendResponseHeaders(r.status, r.body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(r.body);
            }
        }
    }

    private void log(HttpExchange ex, Api.Resp r, long started, String requestId) {
        if (cfg.requestLog == null) {
            return;
        }
        try {
            cfg.requestLog.accept(String.format("%s %s %d %dms %s", ex.getRequestMethod(),
                    ex.getRequestURI().getPath(), r == null ? 0 : r.status, (System.nanoTime() - started) / 1_000_000,
                    requestId));
        } catch (RuntimeException | Error e) {
            // the application's log failing is no reason to lose this thread
            System.err.println("stripe-emulator: request log failed: " + e);
        }
    }

    private Api.Resp dispatch(HttpExchange ex, String body, String requestId) throws IOException {
        String method = ex.getRequestMethod().toUpperCase();
        String path = ex.getRequestURI().getPath();
        String query = ex.getRequestURI().getRawQuery();
        String origin = ex.getRequestHeaders().getFirst("Origin");
        if (method.equals("OPTIONS")) {
            return crossOrigin.preflight(path, origin, ex.getRequestHeaders().getFirst("Access-Control-Request-Method"));
        }
        if (path.startsWith("/v1/")) {
            return api.handle(method, path, query, body, ex.getRequestHeaders().getFirst("Authorization"),
                    ex.getRequestHeaders().getFirst("Idempotency-Key"), requestId);
        }
        String[] seg = path.length() > 1 ? path.substring(1).split("/") : new String[0];
        if (seg.length >= 2 && seg[0].equals("c") && seg[1].equals("pay")) {
            return pages.checkout(method, seg, query, body);
        }
        if (seg.length >= 1 && seg[0].equals("3ds")) {
            return pages.threeDs(method, seg, query, body);
        }
        if (seg.length >= 1 && seg[0].equals("receipts")) {
            return pages.receipt(seg);
        }
        if (seg.length >= 1 && seg[0].equals("_emulator")) {
            if (!cfg.control) {
                return Api.Resp.json(404, new StripeError(404, "invalid_request_error", null, null,
                        "The control API is disabled; start the emulator with --control.", null).body());
            }
            if (origin != null && !origin.equalsIgnoreCase(ownOrigin())) {
                // a page on another site, submitting a form through a buyer's browser: not a test harness
                return Api.Resp.json(403, new StripeError(403, "invalid_request_error", null, null,
                        "The control API does not answer pages on other origins (" + origin + ").", null).body());
            }
            return control.handle(method, seg, query, body);
        }
        if (path.equals("/dashboard") || path.equals("/dashboard/")) {
            if (!(method.equals("GET") || method.equals("HEAD"))) {
                return Api.Resp.json(405, StripeError.invalid("The dashboard is read-only.", null).body());
            }
            return dashboard.render();
        }
        // the stand-in Stripe.js: <script src="{baseUrl}/v3/"></script>
        Api.Resp resource = staticResource(method, path.equals("/v3") ? "/v3/" : path);
        if (resource != null) {
            return resource;
        }
        if (path.equals("/") && method.equals("GET") && accepts(ex, "text/html")) {
            return indexPage();
        }
        if (path.equals("/") || path.equals("/healthz")) {
            ObjectNode o = Json.obj();
            o.put("object", "stripe_emulator");
            o.put("api_version", API_VERSION);
            o.put("base_url", baseUrl);
            o.put("dashboard_url", baseUrl + "/dashboard");
            o.put("stripe_js_url", baseUrl + "/v3/");
            return Api.Resp.json(200, o);
        }
        return Api.Resp.json(404, new StripeError(404, "invalid_request_error", null, null,
                "Unrecognized request URL (" + method + ": " + path + ").", null).body());
    }

    /** The emulator's own origin, e.g. {@code http://localhost:12111}. */
    private String ownOrigin() {
        try {
            java.net.URI u = new java.net.URI(baseUrl);
            return u.getScheme() + "://" + u.getRawAuthority();
        } catch (java.net.URISyntaxException e) {
            return baseUrl;
        }
    }

    private static boolean accepts(HttpExchange ex, String type) {
        String accept = ex.getRequestHeaders().getFirst("Accept");
        return accept != null && accept.contains(type);
    }

    /** What a browser sees at {@code /}: links to the dashboard and the stand-in Stripe.js. */
    private Api.Resp indexPage() {
        String page = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Stripe emulator</title>"
                + "</head><body style=\"font-family:system-ui,sans-serif;margin:40px\"><h1>Stripe emulator</h1>"
                + "<p>API version <code>" + API_VERSION + "</code> at <code>" + Pages.esc(baseUrl) + "/v1/</code></p>"
                + "<ul><li><a href=\"/dashboard\">Dashboard</a>: payments, Checkout Sessions, customers, refunds, "
                + "disputes, events and webhook deliveries</li><li><a href=\"/v3/\">Stripe.js</a>: load "
                + "<code>&lt;script src=\"" + Pages.esc(baseUrl) + "/v3/\"&gt;&lt;/script&gt;</code></li></ul></body></html>";
        Api.Resp r = new Api.Resp(200, page.getBytes(StandardCharsets.UTF_8));
        r.headers.put("Content-Type", "text/html; charset=utf-8");
        r.headers.put("Cache-Control", "no-store");
        return r;
    }

    /**
     * Files under the classpath folder {@code org/bookstore/emulator/static/} are served at their path, e.g.
     * {@code static/v3/index.js} at {@code /v3/index.js} ({@code /v3/} serves {@code v3/index.html} or
     * {@code v3/index.js}).
     */
    private static Api.Resp staticResource(String method, String path) throws IOException {
        if (!(method.equals("GET") || method.equals("HEAD")) || path.contains("..")) {
            return null;
        }
        String base = "org/bookstore/emulator/static" + path;
        String[] candidates = path.endsWith("/") ? new String[] {base + "index.html", base + "index.js"}
                : new String[] {base};
        for (String c : candidates) {
            java.net.URL url = StripeEmulator.class.getClassLoader().getResource(c);
            if (url == null || url.getPath().endsWith("/") || isDirectory(url)) {
                continue;
            }
            try (InputStream in = url.openStream()) {
                if (in == null) {
                    continue;
                }
                Api.Resp r = new Api.Resp(200, in.readAllBytes());
                r.headers.put("Content-Type", contentType(c));
                r.headers.put("Cache-Control", "no-cache");
                return r;
            }
        }
        return null;
    }

    private static boolean isDirectory(java.net.URL url) {
        if (!url.getProtocol().equals("file")) {
            return false;
        }
        try {
            return Files.isDirectory(Path.of(url.toURI()));
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String contentType(String name) {
        if (name.endsWith(".js")) {
            return "application/javascript; charset=utf-8";
        }
        if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".json")) {
            return "application/json";
        }
        if (name.endsWith(".svg")) {
            return "image/svg+xml";
        }
        if (name.endsWith(".png")) {
            return "image/png";
        }
        return "application/octet-stream";
    }

    static ArrayNode attemptsJson(List<DeliveryAttempt> attempts) {
        ArrayNode a = Json.arr();
        for (DeliveryAttempt d : attempts) {
            ObjectNode o = a.addObject();
            o.put("delivery_id", d.deliveryId());
            o.put("event_id", d.eventId());
            o.put("event_type", d.eventType());
            o.put("endpoint_id", d.endpointId());
            o.put("url", d.url());
            o.put("attempt", d.attempt());
            o.put("started_at", d.startedAt());
            if (d.statusCode() == null) {
                o.putNull("status_code");
            } else {
                o.put("status_code", d.statusCode());
            }
            if (d.error() == null) {
                o.putNull("error");
            } else {
                o.put("error", d.error());
            }
            o.put("duration_ms", d.durationMillis());
            o.put("succeeded", d.succeeded());
            o.put("signature_corrupted", d.signatureCorrupted());
        }
        return a;
    }

    static JsonNode listOf(ArrayNode data, String url) {
        ObjectNode l = Json.obj();
        l.put("object", "list");
        l.set("data", data);
        l.put("has_more", false);
        l.put("url", url);
        return l;
    }
}
