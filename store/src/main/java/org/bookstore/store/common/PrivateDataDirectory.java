package org.bookstore.store.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The data folder ({@code bookstore.data-dir}) holds the embedded database, with buyers' accounts and orders, and the
 * local Stripe's keys and state: it is made, or closed, to its owner only before anything opens a file in it, so
 * another user of the machine can read none of it whatever mode the files inside are created with.
 */
public class PrivateDataDirectory implements EnvironmentPostProcessor, Ordered {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String setting = environment.getProperty("bookstore.data-dir");
        if (setting == null || setting.isBlank()) {
            return;
        }
        Path folder = Path.of(setting);
        try {
            if (!Files.exists(folder)) {
                Files.createDirectories(folder);
            }
            if (Files.getFileStore(folder).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(folder, OWNER_ONLY);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not make the data folder " + folder.toAbsolutePath() + " private", e);
        }
    }

    /** After the configuration files are read, so the folder they name is the one secured. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
