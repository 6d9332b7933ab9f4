package org.bookstore.store.common;

import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.jdbc.support.SQLErrorCodesFactory;

/**
 * Work a start would otherwise do on its main thread, done on a second thread from the moment the application starts,
 * while the main thread makes the store's beans (on machines with more than one core, as Spring Boot's own background
 * pre-initialisation). Only work whose result is a process-wide singleton the main thread would make the same way,
 * so nothing depends on which thread gets there first: the main thread finds it made, or waits for it.
 * <ul>
 * <li>Spring JDBC's table of SQL error codes: Spring Session makes an exception translator for its sessions, which
 * reads {@code sql-error-codes.xml} through an XML bean-definition reader, about 50 ms of a start. Spring Boot's
 * own pre-initialisation thread starts later and has its own list to go through first.</li>
 * </ul>
 */
public class StartupPreinitializer implements ApplicationListener<ApplicationStartingEvent> {

    @Override
    public void onApplicationEvent(ApplicationStartingEvent event) {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            return;
        }
        Thread thread = new Thread(StartupPreinitializer::preinitialize, "store-preinit");
        thread.setDaemon(true);
        thread.start();
    }

    private static void preinitialize() {
        try {
            SQLErrorCodesFactory.getInstance();
        } catch (RuntimeException | LinkageError ignored) {
            // It fails the same way when the main thread needs it, which reports it then (a class that failed to
            // initialise names this thread's exception as the cause).
        }
    }
}
