package org.bookstore.store.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The randomness behind every visitor's CSRF token and the mask over it on every page. */
class BlockRandomTest {

    private final SecureRandom random = new BlockRandom(new SecureRandom());

    @Test
    void noTwoTokensAreAlikeAcrossThreadsAndBlocks() throws Exception {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        int threads = 4;
        int perThread = 5_000; // 16 bytes each: 78 blocks a thread
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        byte[] token = new byte[16];
                        random.nextBytes(token);
                        seen.add(HexFormat.of().formatHex(token));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(seen).hasSize(threads * perThread);
    }

    @Test
    void theBytesHandedOutAreEvenlySpreadNotTheClearedBlock() {
        long ones = 0;
        int zeroBytes = 0;
        int draws = 10_000;
        for (int i = 0; i < draws; i++) {
            byte[] mask = new byte[22]; // a masked token's length: 22 characters
            random.nextBytes(mask);
            for (byte b : mask) {
                ones += Integer.bitCount(b & 0xff);
                zeroBytes += b == 0 ? 1 : 0;
            }
        }
        double bits = draws * 22 * 8.0;
        assertThat(ones / bits).isBetween(0.49, 0.51);
        // A byte is 0 one time in 256: about 859 of 220,000. Handing out cleared bytes would make far more.
        assertThat(zeroBytes).isBetween(600, 1_150);
    }

    @Test
    void aDrawLargerThanABlockIsFilledWhole() {
        byte[] large = new byte[BlockRandom.BLOCK * 3];
        random.nextBytes(large);
        int zeroBytes = 0;
        for (byte b : large) {
            zeroBytes += b == 0 ? 1 : 0;
        }
        assertThat(zeroBytes).isLessThan(60); // about 12 expected
    }

    @Test
    void numbersAndSeedsStillWork() {
        random.setSeed(new byte[] {1, 2, 3});
        assertThat(random.generateSeed(8)).hasSize(8);
        Set<Integer> ints = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 1_000; i++) {
            ints.add(random.nextInt());
        }
        assertThat(ints).hasSizeGreaterThan(990);
    }
}
