package org.bookstore.emulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load benchmark: {@code java -cp stripe-emulator.jar org.bookstore.emulator.Bench [--url URL] [--warmup N]
 * [--seconds N] [--threads N] [--min-rps N]}: N seconds of warm-up (default 40, not counted), then the measured run. Without {@code --url} it starts an emulator in this JVM. It creates a customer, then
 * retrieves it as fast as it can (a simple API request), and a share of requests create PaymentIntents.
 */
public final class Bench {
    private Bench() {}

    /** One load phase: requests that got a 200, those that did not, seconds taken, and sorted latencies (ns). */
    record Result(long ok, long failed, double elapsed, long[] latencies) {
        double rps() {
            return ok / elapsed;
        }
    }

    /** Retrieves a customer as fast as {@code threads} clients can, with every tenth request creating a PaymentIntent. */
    static Result load(HttpClient http, String auth, URI get, URI pis, int threads, int seconds) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long[] lat = new long[2_000_000];
            latencies.add(lat);
            int[] n = {0};
            Thread w = new Thread(() -> {
                int k = 0;
                while (!stop.get()) {
                    long start = System.nanoTime();
                    try {
                        HttpRequest req = (k++ % 10 == 9)
                                ? HttpRequest.newBuilder(pis).header("Authorization", auth)
                                        .header("Content-Type", "application/x-www-form-urlencoded")
                                        .POST(HttpRequest.BodyPublishers.ofString("amount=1000&currency=usd")).build()
                                : HttpRequest.newBuilder(get).header("Authorization", auth).GET().build();
                        HttpResponse<Void> r = http.send(req, HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() == 200) {
                            ok.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                    if (n[0] < lat.length - 1) {
                        lat[n[0]++] = System.nanoTime() - start;
                    }
                }
                lat[lat.length - 1] = n[0];
            });
            workers.add(w);
        }
        long t0 = System.nanoTime();
        workers.forEach(Thread::start);
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread w : workers) {
            w.join();
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        List<Long> all = new ArrayList<>();
        for (long[] lat : latencies) {
            int count = (int) Math.min(lat[lat.length - 1], lat.length - 1);
            for (int i = 0; i < count; i++) {
                all.add(lat[i]);
            }
        }
        long[] sorted = all.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return new Result(ok.get(), failed.get(), elapsed, sorted);
    }

    public static void main(String[] args) throws Exception {
        String url = null;
        int seconds = 10;
        int warmup = 40;
        int threads = 16;
        double minRps = 0;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--url":
                    url = args[i + 1];
                    break;
                case "--seconds":
                    seconds = Integer.parseInt(args[i + 1]);
                    break;
                case "--warmup":
                    warmup = Integer.parseInt(args[i + 1]);
                    break;
                case "--threads":
                    threads = Integer.parseInt(args[i + 1]);
                    break;
                case "--min-rps":
                    minRps = Double.parseDouble(args[i + 1]);
                    break;
                default:
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
            }
        }
        StripeEmulator embedded = null;
        if (url == null) {
            embedded = StripeEmulator.builder().port(0).start();
            url = embedded.baseUrl();
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String auth = "Bearer sk_test_bench";
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/customers"))
                .header("Authorization", auth).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("email=bench%40example.com")).build(),
                HttpResponse.BodyHandlers.ofString());
        String id = Json.read(created.body()).path("id").asText();
        URI get = URI.create(url + "/v1/customers/" + id);
        URI pis = URI.create(url + "/v1/payment_intents");

        // The JVMs on both sides need load to compile their hot paths: a timed warm-up under the same load first.
        if (warmup > 0) {
            Result warm = load(http, auth, get, pis, threads, warmup);
            System.out.printf("warm-up: %.0f requests/s over %d s (not counted)%n", warm.rps(), warmup);
        }
        Result result = load(http, auth, get, pis, threads, seconds);
        double rps = result.rps();
        System.out.printf("requests: %d ok, %d failed in %.1f s with %d threads -> %.0f requests/s%n", result.ok(),
                result.failed(), result.elapsed(), threads, rps);
        if (result.latencies().length > 0) {
            long[] sorted = result.latencies();
            System.out.printf("latency: p50 %.2f ms, p99 %.2f ms%n", sorted[sorted.length / 2] / 1e6,
                    sorted[(int) (sorted.length * 0.99)] / 1e6);
        }
        if (embedded != null) {
            embedded.stop();
        }
        if (minRps > 0 && rps < minRps) {
            System.out.printf("FAILED: below %.0f requests/s%n", minRps);
            System.exit(1);
        }
    }
}
