package org.bookstore.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Asynchronous, signed webhook delivery with retries, attempt records and fault injection. */
final class Webhooks {
    /** One endpoint an event goes to. */
    static final class Target {
        final String endpointId;
        final String url;
        final String secret;
        final String apiVersion;

        Target(String endpointId, String url, String secret, String apiVersion) {
            this.endpointId = endpointId;
            this.url = url;
            this.secret = secret;
            this.apiVersion = apiVersion;
        }
    }

    private final class Delivery implements Runnable {
        final String id = Ids.id("whdel");
        final ObjectNode event;
        final Target target;
        final String body;
        final long generation = Webhooks.this.generation.get();
        int attempts;

        Delivery(ObjectNode event, Target target) {
            this.event = event;
            this.target = target;
            ObjectNode e = event.deepCopy();
            e.put("api_version", target.apiVersion);
            this.body = Json.write(e);
        }

        @Override
        public void run() {
            attempt(this);
        }
    }

    private final ScheduledExecutorService exec;
    /** Made on the first delivery: building a JDK HttpClient loads the default TLS context and trust store. */
    private volatile HttpClient client;
    private final Object clientLock = new Object();
    private final double timeScale;
    private final Duration timeout;
    private final int maxAttempts;
    private final Consumer<String> onDelivered;
    private final List<DeliveryAttempt> attempts = Collections.synchronizedList(new ArrayList<>());
    /** Bumped on reset: deliveries from before stop retrying. */
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

    // chaos
    private int duplicateNext;
    private int corruptNext;
    private int delayNext;
    private long delayMillis;
    private int reorderNext;
    private final List<Delivery> reorderBuffer = new ArrayList<>();
    private boolean holding;
    private final List<Delivery> held = new ArrayList<>();

    Webhooks(double timeScale, Duration timeout, int maxAttempts, Consumer<String> onDelivered) {
        this.timeScale = timeScale;
        this.timeout = timeout;
        this.maxAttempts = maxAttempts;
        this.onDelivered = onDelivered;
        this.exec = Executors.newScheduledThreadPool(4, r -> {
            Thread t = new Thread(r, "stripe-emulator-webhooks");
            t.setDaemon(true);
            return t;
        });
    }

    private HttpClient client() {
        HttpClient made = client;
        if (made == null) {
            synchronized (clientLock) {
                made = client;
                if (made == null) {
                    made = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                            .version(HttpClient.Version.HTTP_1_1).build();
                    client = made;
                }
            }
        }
        return made;
    }

    void shutdown() {
        exec.shutdownNow();
    }

    /** Seconds to wait before retry number {@code n} (1-based), before scaling: 1 min, 5 min, 25 min, ... */
    static long backoffSeconds(int n) {
        long s = 60;
        for (int i = 1; i < n; i++) {
            s *= 5;
        }
        return Math.min(s, 12 * 3600);
    }

    synchronized boolean takeDuplicate() {
        if (duplicateNext > 0) {
            duplicateNext--;
            return true;
        }
        return false;
    }

    void dispatch(ObjectNode event, List<Target> targets) {
        List<Delivery> now = new ArrayList<>();
        synchronized (this) {
            for (Target t : targets) {
                Delivery d = new Delivery(event, t);
                if (holding) {
                    held.add(d);
                } else if (reorderNext > 0) {
                    reorderBuffer.add(d);
                } else {
                    now.add(d);
                }
            }
            if (reorderNext > 0 && !targets.isEmpty() && !holding) {
                reorderNext--;
                if (reorderNext == 0) {
                    List<Delivery> rev = new ArrayList<>(reorderBuffer);
                    Collections.reverse(rev);
                    reorderBuffer.clear();
                    now.addAll(rev);
                }
            }
        }
        schedule(now);
    }

    private void schedule(List<Delivery> ds) {
        if (ds.isEmpty()) {
            return;
        }
        long delay;
        synchronized (this) {
            delay = 0;
            if (delayNext > 0) {
                delayNext--;
                delay = delayMillis;
            }
        }
        // first attempts of one batch go out one after the other, in the given order
        List<Delivery> batch = new ArrayList<>(ds);
        try {
            exec.schedule(() -> batch.forEach(Delivery::run), delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException ignored) {
            // shutting down
        }
    }

    private void attempt(Delivery d) {
        if (d.generation != generation.get()) {
            return;
        }
        d.attempts++;
        boolean corrupt;
        synchronized (this) {
            corrupt = corruptNext > 0;
            if (corrupt) {
                corruptNext--;
            }
        }
        long t = System.currentTimeMillis() / 1000;
        String sig = sign(d.target.secret, t, d.body);
        if (corrupt) {
            sig = sign("whsec_corrupted", t, d.body);
        }
        long start = System.currentTimeMillis();
        Integer status = null;
        String error = null;
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(d.target.url)).timeout(timeout)
                    .header("Content-Type", "application/json; charset=utf-8")
                    .header("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)")
                    .header("Stripe-Signature", "t=" + t + ",v1=" + sig)
                    .POST(HttpRequest.BodyPublishers.ofString(d.body, StandardCharsets.UTF_8)).build();
            HttpResponse<Void> resp = client().send(req, HttpResponse.BodyHandlers.discarding());
            status = resp.statusCode();
        } catch (java.net.http.HttpTimeoutException e) {
            error = "timeout";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        long dur = System.currentTimeMillis() - start;
        if (d.generation != generation.get()) {
            // reset while this attempt was on the wire: it belongs to what was forgotten
            return;
        }
        boolean ok = status != null && status >= 200 && status < 300;
        attempts.add(new DeliveryAttempt(d.id, d.event.path("id").asText(), d.event.path("type").asText(),
                d.target.endpointId, d.target.url, d.attempts, start, status, error, dur, ok, corrupt));
        if (ok) {
            onDelivered.accept(d.event.path("id").asText());
        } else if (d.attempts < maxAttempts && !exec.isShutdown()) {
            long delay = Math.max(1, Math.round(backoffSeconds(d.attempts) * 1000 * timeScale));
            try {
                exec.schedule(d, delay, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException ignored) {
                // shutting down
            }
        }
    }

    static String sign(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] h = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (byte b : h) {
                sb.append(String.format("%02x", b));
            }
            return sb.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    List<DeliveryAttempt> attempts() {
        synchronized (attempts) {
            return new ArrayList<>(attempts);
        }
    }

    void clearAttempts() {
        attempts.clear();
    }

    // ---- chaos controls

    synchronized void duplicateNext(int n) {
        duplicateNext = n;
    }

    synchronized void corruptNext(int n) {
        corruptNext = n;
    }

    synchronized void delayNext(int n, long millis) {
        delayNext = n;
        delayMillis = millis;
    }

    synchronized void reorderNext(int n) {
        reorderNext = n;
    }

    synchronized void hold() {
        holding = true;
    }

    /** Stops holding and sends every held delivery, in order or reversed. */
    void release(boolean reverse) {
        List<Delivery> out;
        synchronized (this) {
            holding = false;
            out = new ArrayList<>(held);
            held.clear();
            out.addAll(reorderBuffer);
            reorderBuffer.clear();
            reorderNext = 0;
        }
        if (reverse) {
            Collections.reverse(out);
        }
        schedule(out);
    }

    synchronized int heldCount() {
        return held.size() + reorderBuffer.size();
    }

    synchronized void resetChaos() {
        generation.incrementAndGet();
        duplicateNext = 0;
        corruptNext = 0;
        delayNext = 0;
        reorderNext = 0;
        holding = false;
        held.clear();
        reorderBuffer.clear();
    }
}
