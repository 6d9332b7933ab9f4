package org.bookstore.store.catalog;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.servlet.View;
import org.springframework.web.servlet.support.RequestContextUtils;
import org.springframework.web.util.ContentCachingResponseWrapper;
import org.thymeleaf.spring6.view.ThymeleafViewResolver;

/**
 * Pages rendered once and served again, for at most {@code bookstore.catalog.fresh-for}, to every visitor of the same
 * kind: guests share one copy, a logged-in buyer has their own (the header shows their name and role). The catalogue's
 * pages are kept by what they show; a cart page by the cart's id and every line's title, price and quantity, so a
 * change to the cart is a new page at once.
 * The parts that differ from one request to the next, the header's cart count and the CSRF token of each form, are
 * cut out of the rendered page and put back for every visitor. A page with a flash message is never reused.
 * Entries expire by age, so a change made anywhere (another instance, SQL) shows everywhere; a change made in the
 * back office also drops this instance's copies at once.
 */
@Component
public class RenderedPages {

    private static final Logger log = LoggerFactory.getLogger(RenderedPages.class);
    private static final byte[] CART_COUNT = "data-testid=\"cart-count\">".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CSRF_TOKEN = "name=\"_csrf\" value=\"".getBytes(StandardCharsets.US_ASCII);

    private final ThymeleafViewResolver views;
    private final CartCount cartCount;
    private final Cache<String, Page> pages;

    RenderedPages(ThymeleafViewResolver views, CartCount cartCount,
            @Value("${bookstore.catalog.fresh-for:500ms}") Duration freshFor) {
        this.views = views;
        this.cartCount = cartCount;
        // Bounded by bytes so a large catalogue cannot fill the heap: 16 MiB holds about a thousand pages.
        this.pages = Caffeine.newBuilder().expireAfterWrite(freshFor).maximumWeight(16L << 20)
                .weigher((String key, Page page) -> page.size()).build();
    }

    /** Serves the page {@code key}, rendering {@code view} with {@code model} only when no fresh copy is kept. */
    public void serve(String key, String view, Supplier<Map<String, Object>> model, HttpServletRequest request,
            HttpServletResponse response) throws Exception {
        Map<String, ?> flash = RequestContextUtils.getInputFlashMap(request);
        if (flash != null && !flash.isEmpty()) {
            Map<String, Object> withMessage = new HashMap<>(flash);
            withMessage.putAll(model.get());
            render(view, withMessage, request, response).copyBodyToResponse();
            return;
        }
        Rendered[] fresh = new Rendered[1];
        Page page = pages.get(key + "\n" + visitorKind(), k -> {
            fresh[0] = new Rendered(render(view, model.get(), request, response));
            return Page.cut(fresh[0].bytes());
        });
        if (page == null) {
            // The layout no longer shows the cart count where expected: serve the page, but never reuse it.
            log.warn("Page {} cannot be reused: its cart count was not found", key);
            fresh[0].wrapper().copyBodyToResponse();
            return;
        }
        if (fresh[0] == null) {
            response.setContentType("text/html;charset=UTF-8");
        }
        page.write(String.valueOf(cartCount.itemCount()), csrfToken(request), response);
    }

    private ContentCachingResponseWrapper render(String viewName, Map<String, Object> model, HttpServletRequest request,
            HttpServletResponse response) {
        ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
        try {
            View view = views.resolveViewName(viewName, Locale.ROOT);
            view.render(model, request, captured);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Could not render " + viewName, e);
        }
        return captured;
    }

    /**
     * Drops every kept page once the caller's transaction commits (at once outside one), so whoever changed the
     * catalogue on this instance sees the change on their next request; other instances see it when their copies
     * age out.
     */
    void forgetAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    pages.invalidateAll();
                }
            });
        } else {
            pages.invalidateAll();
        }
    }

    /** Guests all see the same page; a logged-in buyer's header is their own. */
    private static String visitorKind() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || authentication instanceof AnonymousAuthenticationToken || !authentication.isAuthenticated()) {
            return "guest";
        }
        return "buyer " + authentication.getName() + " "
                + authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority).sorted().toList();
    }

    private static String csrfToken(HttpServletRequest request) {
        return request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token ? token.getToken() : "";
    }

    private record Rendered(ContentCachingResponseWrapper wrapper, byte[] bytes) {
        Rendered(ContentCachingResponseWrapper wrapper) {
            this(wrapper, wrapper.getContentAsByteArray());
        }
    }

    /** A rendered page cut into the bytes every visitor shares, with holes between them. */
    record Page(List<byte[]> pieces, List<Boolean> holeIsCartCount, int size) {

        /** Null if the page has no cart count to put in: it would not be right for another visitor. */
        static Page cut(byte[] html) {
            List<byte[]> pieces = new ArrayList<>();
            List<Boolean> holes = new ArrayList<>();
            int copied = 0;
            int cartCounts = 0;
            for (int at = 0; at < html.length; at++) {
                boolean count = startsWith(html, at, CART_COUNT);
                if (count || startsWith(html, at, CSRF_TOKEN)) {
                    int start = at + (count ? CART_COUNT.length : CSRF_TOKEN.length);
                    int end = start;
                    while (end < html.length && html[end] != (count ? '<' : '"')) {
                        end++;
                    }
                    pieces.add(Arrays.copyOfRange(html, copied, start));
                    holes.add(count);
                    cartCounts += count ? 1 : 0;
                    copied = end;
                    at = end - 1;
                }
            }
            if (cartCounts != 1) {
                return null;
            }
            pieces.add(Arrays.copyOfRange(html, copied, html.length));
            return new Page(List.copyOf(pieces), List.copyOf(holes), html.length);
        }

        void write(String count, String csrfToken, HttpServletResponse response) throws IOException {
            byte[] countBytes = count.getBytes(StandardCharsets.US_ASCII);
            byte[] tokenBytes = csrfToken.getBytes(StandardCharsets.US_ASCII);
            int length = pieces.stream().mapToInt(piece -> piece.length).sum();
            for (boolean hole : holeIsCartCount) {
                length += hole ? countBytes.length : tokenBytes.length;
            }
            response.setContentLength(length);
            OutputStream out = response.getOutputStream();
            for (int i = 0; i < pieces.size(); i++) {
                out.write(pieces.get(i));
                if (i < holeIsCartCount.size()) {
                    out.write(holeIsCartCount.get(i) ? countBytes : tokenBytes);
                }
            }
        }

        private static boolean startsWith(byte[] html, int at, byte[] mark) {
            if (html[at] != mark[0] || at + mark.length > html.length) {
                return false;
            }
            for (int i = 1; i < mark.length; i++) {
                if (html[at + i] != mark[i]) {
                    return false;
                }
            }
            return true;
        }
    }
}
