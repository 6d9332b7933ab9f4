package org.bookstore.store.common;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.FlashMap;
import org.springframework.web.servlet.support.SessionFlashMapManager;
import org.springframework.web.util.WebUtils;

/**
 * A message for the next page ("added to your cart", or why a change was refused) travels in the session, and a guest
 * has none until the first such message: that message makes a session row. A robot posting forms again and again
 * without a session cookie would make a row a request. So one client (an address, an IPv6 client's /64) may start
 * {@code bookstore.sessions.max-new-guest-sessions-per-address} sessions this way within
 * {@code bookstore.sessions.new-guest-sessions-window}; past that its messages are dropped (what it did is done; only
 * the note about it is not shown) and nothing is written until the window's lock-out is over. Visitors who already
 * have a session, logged in or not, are not counted.
 * <p>A message waits in the session until the page it is for is shown, or for three minutes. A client that posts
 * without following the redirects (a script, a robot) would pile them up: a logged-in buyer's session grew by one
 * message a request, all of them read and written again on every request (700 KB after 10,000 posts, and on the
 * embedded H2 file a 700 KB write a request). So a session keeps only the newest message for each page, and at most
 * {@value #MAX_WAITING} in all: a newer message for a page says what happened last, and an older one shown later
 * would be out of date (a double click's first "added to your cart" appearing on the next visit to the cart).
 */
@Configuration(proxyBeanMethods = false)
class GuestMessages {

    /** The most messages a session keeps waiting, each for a different page. */
    static final int MAX_WAITING = 8;

    @Bean
    static BeanPostProcessor guestMessagesLimited(Environment environment, ObjectProvider<ClientCounts> counts) {
        Binder settings = Binder.get(environment);
        int max = settings.bind("bookstore.sessions.max-new-guest-sessions-per-address", Integer.class).orElse(200);
        Duration window = settings.bind("bookstore.sessions.new-guest-sessions-window", Duration.class)
                .orElse(Duration.ofMinutes(15));
        ClientCounts.Limit limit = new ClientCounts.Limit(max, window, window);
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof SessionFlashMapManager && !(bean instanceof Limited) ? new Limited(counts, limit) : bean;
            }
        };
    }

    static final class Limited extends SessionFlashMapManager {

        private final ObjectProvider<ClientCounts> counts;
        private final ClientCounts.Limit limit;

        Limited(ObjectProvider<ClientCounts> counts, ClientCounts.Limit limit) {
            this.counts = counts;
            this.limit = limit;
        }

        /** Spring's own takes the session's mutex and makes a session to take it from: a visitor with none needs none. */
        @Override
        protected Object getFlashMapsMutex(HttpServletRequest request) {
            HttpSession session = request.getSession(false);
            return session == null ? null : WebUtils.getSessionMutex(session);
        }

        @Override
        protected void updateFlashMaps(List<FlashMap> flashMaps, HttpServletRequest request, HttpServletResponse response) {
            if (request.getSession(false) == null && !flashMaps.isEmpty()
                    && counts.getObject().take("guest-sessions:" + ClientCounts.client(request.getRemoteAddr()), limit).isPresent()) {
                return;
            }
            super.updateFlashMaps(newestForEachPage(flashMaps), request, response);
        }
    }

    /** The newest message for each page (its path and parameters), at most {@link #MAX_WAITING}, in their order. */
    static List<FlashMap> newestForEachPage(List<FlashMap> flashMaps) {
        if (flashMaps.size() < 2) {
            return flashMaps;
        }
        List<FlashMap> kept = new ArrayList<>();
        Set<List<Object>> pages = new HashSet<>();
        // Each message is added at the end of the list when it is saved.
        for (int i = flashMaps.size() - 1; i >= 0 && kept.size() < MAX_WAITING; i--) {
            FlashMap message = flashMaps.get(i);
            if (pages.add(List.of(Objects.toString(message.getTargetRequestPath(), ""), message.getTargetRequestParams()))) {
                kept.add(0, message);
            }
        }
        return kept.size() == flashMaps.size() ? flashMaps : new CopyOnWriteArrayList<>(kept);
    }
}
