package org.bookstore.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The state file: it holds webhook signing secrets, so it is readable and writable by its owner only ({@code
 * rw-------}) where the file system has POSIX permissions, and is replaced atomically so a crash never leaves half
 * of it.
 */
final class StateFile {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private StateFile() {}

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    /** Writes {@code text} to a temporary file created owner-only, then moves it over {@code file}. */
    static void write(Path file, String text) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            // a temporary file left by a crash may be readable by others: start afresh
            Files.deleteIfExists(tmp);
            FileAttribute<?>[] attrs = posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                    : new FileAttribute<?>[0];
            Files.createFile(tmp, attrs);
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            // the moved file keeps the temporary file's permissions, so an older, more open file is tightened
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the state file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Tightens an existing state file to owner-only before it is read. */
    static void ownerOnly(Path file) {
        if (!posix()) {
            return;
        }
        try {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        } catch (IOException | UnsupportedOperationException e) {
            // not ours to change (another owner): it is still read, and the next save replaces it with ours
        }
    }
}
