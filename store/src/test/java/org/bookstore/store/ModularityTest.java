package org.bookstore.store;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/** Each capability is a module; they depend on each other only through their public types, and never in a cycle. */
class ModularityTest {

    private final ApplicationModules modules = ApplicationModules.of(BookstoreApplication.class);

    @Test
    void modulesRespectTheirBoundaries() {
        modules.verify();
    }
}
