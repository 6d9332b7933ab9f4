package org.bookstore.store.common;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.nio.ByteBuffer;
import java.sql.DatabaseMetaData;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.convert.support.GenericConversionService;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.serializer.support.DeserializingConverter;
import org.springframework.core.serializer.support.SerializingConverter;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a page costs its session in the database: one read, and a write only when something in it changed.
 * <ul>
 * <li>A session's last access is written at most once a minute instead of on every request: each of those writes was a
 * durable commit, tens of milliseconds on a busy disk, on every page a logged-in buyer opened. A new id (at log-in),
 * timeout, attribute or principal is still written at once; a week-long session may end up to a minute early.</li>
 * <li>The session filter looks the session up again after saving it, to decide whether to resend the cookie, and
 * saves twice per request (when the response is committed and when the filter ends): three reads of the same row.
 * Within one request the session just read or saved by this instance is answered from memory.</li>
 * <li>The logged-in buyer's security context was decoded from its stored bytes (Java serialization) on every request,
 * a sixth of a cart page's time. The same bytes decode to the same context, so each instance keeps the last few
 * thousand decoded and hands every request its own copy.</li>
 * <li>A session is read with one statement, in no transaction of its own: the repository opened a new transaction for
 * it, and its commit was a second round trip to the database on every request. Saving still runs in one.</li>
 * <li>A session nobody has logged in to (a guest's, made to carry a message such as "added to your cart" to the next
 * page) lasts {@code bookstore.sessions.guest-lasts} (15 minutes), not the week a logged-in buyer's lasts: a robot
 * posting to the cart again and again leaves rows the database's clean-up removes within minutes (and
 * {@link GuestMessages} bounds how many one client starts). Logging in (or
 * registering) gives the session the full {@code spring.session.timeout}.</li>
 * </ul>
 */
@Configuration
class SessionWrites {

    static final long TOUCH_EVERY_MILLIS = 60_000;

    /** Set while the database's sessions read one: a single statement, which needs no transaction of its own. */
    private static final ThreadLocal<Boolean> READING = new ThreadLocal<>();

    /**
     * How the database's sessions run their statements (the bean name is the one Spring Session looks for): a read in
     * one statement on its own, anything else in a new transaction, as Spring Session does by default. Not a default
     * candidate, so the rest of the store is still given Spring Boot's transaction template.
     */
    @Bean(defaultCandidate = false)
    static TransactionOperations springSessionTransactionOperations(PlatformTransactionManager transactions) {
        TransactionTemplate inTransaction = new TransactionTemplate(transactions);
        inTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        return new TransactionOperations() {
            @Override
            public <T> T execute(TransactionCallback<T> action) {
                return READING.get() != null && !TransactionSynchronizationManager.isActualTransactionActive()
                        ? TransactionOperations.withoutTransaction().execute(action)
                        : inTransaction.execute(action);
            }
        };
    }

    /** The session filter is given the database's sessions wrapped, so every request goes through the wrapper. */
    @Bean
    static BeanPostProcessor lazilyTouchedSessions(Environment environment) {
        Binder settings = Binder.get(environment);
        Duration loggedIn = settings.bind("spring.session.timeout", Duration.class)
                .orElseGet(() -> settings.bind("server.servlet.session.timeout", Duration.class).orElse(Duration.ofMinutes(30)));
        Duration guest = settings.bind("bookstore.sessions.guest-lasts", Duration.class).orElse(Duration.ofMinutes(15));
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof JdbcIndexedSessionRepository sessions
                        ? new LazilyTouchedSessions(sessions, Duration.ofMillis(TOUCH_EVERY_MILLIS), guest, loggedIn)
                        : bean;
            }
        };
    }

    @Bean
    SessionRepositoryCustomizer<JdbcIndexedSessionRepository> securityContextsDecodedOnce(ResourceLoader resources) {
        GenericConversionService conversions = new GenericConversionService();
        conversions.addConverter(Object.class, byte[].class, new SerializingConverter());
        conversions.addConverter(byte[].class, Object.class, new RememberingDeserializer(
                new DeserializingConverter(Objects.requireNonNull(resources.getClassLoader()))));
        return sessions -> sessions.setConversionService(conversions);
    }

    /**
     * Two requests of one session (a double click, two tabs) that each add the same attribute, typically the message
     * for the next page, both insert its row: the second insert broke the primary key, and its request, whose work was
     * done, answered with an error page. The attribute is written as an insert-or-update instead, the later request's
     * value kept. Databases other than PostgreSQL and H2 keep Spring Session's plain insert.
     */
    @Bean
    SessionRepositoryCustomizer<JdbcIndexedSessionRepository> attributesAddedTwiceAtOnce(DataSource dataSource) {
        String product;
        try {
            product = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName).toLowerCase(Locale.ROOT);
        } catch (MetaDataAccessException e) {
            throw new IllegalStateException("Could not tell which database the sessions are kept in", e);
        }
        String query = product.contains("postgres")
                ? "INSERT INTO %TABLE_NAME%_ATTRIBUTES (SESSION_PRIMARY_ID, ATTRIBUTE_NAME, ATTRIBUTE_BYTES) VALUES (?, ?, ?) "
                        + "ON CONFLICT (SESSION_PRIMARY_ID, ATTRIBUTE_NAME) DO UPDATE SET ATTRIBUTE_BYTES = EXCLUDED.ATTRIBUTE_BYTES"
                : product.contains("h2")
                        ? "MERGE INTO %TABLE_NAME%_ATTRIBUTES (SESSION_PRIMARY_ID, ATTRIBUTE_NAME, ATTRIBUTE_BYTES) "
                                + "KEY (SESSION_PRIMARY_ID, ATTRIBUTE_NAME) VALUES (?, ?, ?)"
                        : null;
        return sessions -> {
            if (query != null) {
                sessions.setCreateSessionAttributeQuery(query);
            }
        };
    }

    /**
     * Decodes a stored attribute, remembering the security contexts it decoded by their exact bytes. A context is
     * mutable (log-out empties it), so each caller gets a new one holding the same authentication.
     */
    static final class RememberingDeserializer implements Converter<byte[], Object> {

        private final Converter<byte[], Object> decoder;
        private final Cache<ByteBuffer, SecurityContext> contexts = Caffeine.newBuilder()
                .maximumWeight(4L << 20).weigher((ByteBuffer bytes, SecurityContext context) -> bytes.capacity()).build();

        RememberingDeserializer(Converter<byte[], Object> decoder) {
            this.decoder = decoder;
        }

        @Override
        public Object convert(byte[] bytes) {
            ByteBuffer key = ByteBuffer.wrap(bytes);
            SecurityContext known = contexts.getIfPresent(key);
            if (known != null) {
                return new SecurityContextImpl(known.getAuthentication());
            }
            Object decoded = decoder.convert(bytes);
            if (decoded instanceof SecurityContextImpl context && context.getAuthentication() != null) {
                contexts.put(ByteBuffer.wrap(bytes.clone()), new SecurityContextImpl(context.getAuthentication()));
            }
            return decoded;
        }
    }

    /**
     * Runs around the session filter, on every dispatch the session filter sees, and marks the thread as serving one
     * request: only then are sessions remembered, and whatever one request read is forgotten before the next.
     */
    @Bean
    FilterRegistrationBean<Filter> sessionsReadInThisRequest(SessionRepository<?> repository) {
        LazilyTouchedSessions sessions = (LazilyTouchedSessions) repository;
        var registration = new FilterRegistrationBean<Filter>((request, response, chain) -> {
            sessions.beginRequest();
            try {
                chain.doFilter(request, response);
            } finally {
                sessions.endRequest();
            }
        });
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR, DispatcherType.ASYNC);
        registration.setOrder(SessionRepositoryFilter.DEFAULT_ORDER - 1);
        return registration;
    }

    /** The database's sessions, touched lazily, read once per request, and short-lived until someone logs in. */
    static final class LazilyTouchedSessions implements SessionRepository<LazilyTouchedSessions.Touched>, DisposableBean {

        private final SessionRepository<Session> sessions;
        private final Duration touchEvery;
        private final Duration guestLasts;
        private final Duration loggedInLasts;
        /** The session this thread's current request read or saved last; no holder outside a request. */
        private final ThreadLocal<Touched[]> inThisRequest = new ThreadLocal<>();

        @SuppressWarnings({"unchecked", "rawtypes"}) // its session class is not public; it takes back what it made
        LazilyTouchedSessions(JdbcIndexedSessionRepository sessions, Duration touchEvery, Duration guestLasts,
                Duration loggedInLasts) {
            this.sessions = (SessionRepository) sessions;
            this.touchEvery = touchEvery;
            this.guestLasts = guestLasts.compareTo(loggedInLasts) < 0 ? guestLasts : loggedInLasts;
            this.loggedInLasts = loggedInLasts;
        }

        @Override
        public Touched createSession() {
            Touched created = new Touched(sessions.createSession());
            created.setMaxInactiveInterval(guestLasts);
            return created;
        }

        @Override
        public void save(Touched session) {
            if (session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY) != null
                    && session.getMaxInactiveInterval().compareTo(loggedInLasts) < 0) {
                session.setMaxInactiveInterval(loggedInLasts);
            }
            sessions.save(session.stored);
            remember(session);
        }

        @Override
        public Touched findById(String id) {
            Touched[] known = inThisRequest.get();
            if (known != null && known[0] != null && known[0].getId().equals(id) && !known[0].isExpired()) {
                return known[0];
            }
            Session stored;
            READING.set(Boolean.TRUE);
            try {
                stored = sessions.findById(id);
            } finally {
                READING.remove();
            }
            Touched found = stored == null ? null : new Touched(stored);
            remember(found);
            return found;
        }

        @Override
        public void deleteById(String id) {
            remember(null);
            sessions.deleteById(id);
        }

        /** Stops the database repository's clean-up of expired sessions with the application. */
        @Override
        public void destroy() throws Exception {
            ((DisposableBean) sessions).destroy();
        }

        void beginRequest() {
            inThisRequest.set(new Touched[1]);
        }

        void endRequest() {
            inThisRequest.remove();
        }

        private void remember(Touched session) {
            Touched[] known = inThisRequest.get();
            if (known != null) {
                known[0] = session;
            }
        }

        /** A stored session whose last access moves only when it is at least {@code touchEvery} old. */
        final class Touched implements Session {

            private final Session stored;

            Touched(Session stored) {
                this.stored = stored;
            }

            @Override
            public void setLastAccessedTime(Instant lastAccessedTime) {
                Instant last = stored.getLastAccessedTime();
                if (lastAccessedTime.isBefore(last) || !lastAccessedTime.isBefore(last.plus(touchEvery))) {
                    stored.setLastAccessedTime(lastAccessedTime);
                }
            }

            @Override
            public String getId() {
                return stored.getId();
            }

            @Override
            public String changeSessionId() {
                return stored.changeSessionId();
            }

            @Override
            public <T> T getAttribute(String attributeName) {
                return stored.getAttribute(attributeName);
            }

            @Override
            public Set<String> getAttributeNames() {
                return stored.getAttributeNames();
            }

            @Override
            public void setAttribute(String attributeName, Object attributeValue) {
                stored.setAttribute(attributeName, attributeValue);
            }

            @Override
            public void removeAttribute(String attributeName) {
                stored.removeAttribute(attributeName);
            }

            @Override
            public Instant getCreationTime() {
                return stored.getCreationTime();
            }

            @Override
            public Instant getLastAccessedTime() {
                return stored.getLastAccessedTime();
            }

            @Override
            public void setMaxInactiveInterval(Duration interval) {
                stored.setMaxInactiveInterval(interval);
            }

            @Override
            public Duration getMaxInactiveInterval() {
                return stored.getMaxInactiveInterval();
            }

            @Override
            public boolean isExpired() {
                return stored.isExpired();
            }
        }
    }
}
