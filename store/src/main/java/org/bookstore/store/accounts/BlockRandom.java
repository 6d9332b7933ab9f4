package org.bookstore.store.accounts;

import java.security.SecureRandom;
import java.security.SecureRandomSpi;
import java.util.Arrays;

/**
 * A cryptographically strong generator for the few bytes a page asks for (a CSRF token, the mask over it): each thread
 * draws a block from {@code source} and hands it out a few bytes at a time, never the same byte twice, clearing what it
 * has handed out. A DRBG pays a fixed cost for every draw (its state is hashed again after each), so one draw of a
 * kilobyte in place of one of 16 to 22 bytes per token takes that cost off nearly every page.
 *
 * <p>Each thread keeps its own block: a platform thread of the server's pool serves many requests. On virtual threads,
 * a thread a request, every request would draw a whole block; the store runs its requests on platform threads.
 */
final class BlockRandom extends SecureRandom {

    /** Bytes drawn at once. A draw of more than a quarter of it goes to {@code source} directly. */
    static final int BLOCK = 1024;

    private final transient SecureRandom source;
    private final transient ThreadLocal<Block> blocks = ThreadLocal.withInitial(Block::new);

    BlockRandom(SecureRandom source) {
        super(new Delegate(source), null);
        this.source = source;
    }

    @Override
    public void nextBytes(byte[] bytes) {
        if (bytes.length > BLOCK / 4) {
            source.nextBytes(bytes);
        } else {
            blocks.get().take(bytes, source);
        }
    }

    @Override
    public String getAlgorithm() {
        return "block of " + source.getAlgorithm();
    }

    /** One thread's unspent bytes: {@code bytes[next..]}. */
    private static final class Block {
        private final byte[] bytes = new byte[BLOCK];
        private int next = BLOCK;

        void take(byte[] into, SecureRandom source) {
            if (BLOCK - next < into.length) {
                source.nextBytes(bytes);
                next = 0;
            }
            System.arraycopy(bytes, next, into, 0, into.length);
            Arrays.fill(bytes, next, next + into.length, (byte) 0);
            next += into.length;
        }
    }

    /** Seeds and seed requests go to the source; {@link #nextBytes} above serves the draws. */
    private static final class Delegate extends SecureRandomSpi {
        private final transient SecureRandom source;

        Delegate(SecureRandom source) {
            this.source = source;
        }

        @Override
        protected void engineSetSeed(byte[] seed) {
            source.setSeed(seed);
        }

        @Override
        protected void engineNextBytes(byte[] bytes) {
            source.nextBytes(bytes);
        }

        @Override
        protected byte[] engineGenerateSeed(int numBytes) {
            return source.generateSeed(numBytes);
        }
    }
}
