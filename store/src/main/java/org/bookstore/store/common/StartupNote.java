package org.bookstore.store.common;

import java.util.Optional;

/** One line for the summary the store logs when it is ready ({@code StartupSummary}); never a secret. */
public interface StartupNote {

    Optional<String> line();
}
