package org.bookstore.emulator;

/** Standalone entry point; replaced by the emulator's real command line. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("stripe-emulator: not built yet");
    }
}
