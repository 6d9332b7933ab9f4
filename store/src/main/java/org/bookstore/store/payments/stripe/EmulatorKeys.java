package org.bookstore.store.payments.stripe;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Properties;

/**
 * The API keys of the in-process emulator, made at random for this install and kept in a file only its owner can
 * read: the emulator accepts no other key, so nobody else on the machine can make payments naming this shop's orders.
 */
record EmulatorKeys(String secretKey, String publishableKey) {

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The keys kept in {@code file}, made there first if need be; with no file, keys for this run only. */
    static EmulatorKeys forInstall(Path file) {
        if (file == null) {
            return generate();
        }
        try {
            if (!Files.exists(file)) {
                write(file, generate());
            }
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            }
            return new EmulatorKeys(properties.getProperty("secret-key"), properties.getProperty("publishable-key"));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read or create the emulator's keys in " + file, e);
        }
    }

    private static void write(Path file, EmulatorKeys keys) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Path temporary = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(temporary);
        try {
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(temporary);
        }
        try (Writer writer = Files.newBufferedWriter(temporary)) {
            writer.write("# API keys of the local Stripe emulator for this install. Keep this file private.\n");
            writer.write("secret-key=" + keys.secretKey + "\npublishable-key=" + keys.publishableKey + "\n");
        }
        try {
            Files.move(temporary, file);
        } catch (FileAlreadyExistsException raced) {
            Files.delete(temporary);
        }
    }

    private static EmulatorKeys generate() {
        String random = random(24);
        return new EmulatorKeys("sk_test_" + random, "pk_test_" + random(24));
    }

    private static String random(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return text.toString();
    }
}
