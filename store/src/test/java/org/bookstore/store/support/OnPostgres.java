package org.bookstore.store.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.ContextConfiguration;

/**
 * Runs a Spring test against the local PostgreSQL server, in a schema of its own. Outside CI a missing server
 * skips the test with a message; in CI (CI=true) it fails it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Tag("postgres")
@ExtendWith(PostgresDatabase.class)
@ContextConfiguration(initializers = PostgresDatabase.class)
public @interface OnPostgres {
}
