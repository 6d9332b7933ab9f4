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
import java.util.concurrent.atomic.AtomicBoolean;
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
 * <p>A catalogue page rendered for a guest is also found by its address, so {@link PlainGuestPages} can serve the next
 * plain guest's request for it before the filters that would find nothing to do for them.
 */
@Component
public class RenderedPages {

    private static final Logger log = LoggerFactory.getLogger(RenderedPages.class);
    private static final byte[] CART_COUNT = "data-testid=\"cart-count\">".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CSRF_TOKEN = "name=\"_csrf\" value=\"".getBytes(StandardCharsets.US_ASCII);
    private static final String GUEST = "guest";

    private final ThymeleafViewResolver views;
    private final CartCount cartCount;
    private final Cache<String, Page> pages;
    private final long freshForNanos;
    /** The key of the page rendered for a guest at each address (path and query exactly as requested). */
    private final Cache<String, String> guestPageAt;

    RenderedPages(ThymeleafViewResolver views, CartCount cartCount,
            @Value("${bookstore.catalog.fresh-for:500ms}") Duration freshFor) {
        this.views = views;
        this.cartCount = cartCount;
        this.freshForNanos = freshFor.toNanos();
        // Bounded by bytes so a large catalogue cannot fill the heap: 16 MiB holds about a thousand pages. A copy older
        // than freshFor is only served while another request renders it again, and never once half as old again.
        this.pages = Caffeine.newBuilder().expireAfterWrite(freshFor.plus(freshFor.dividedBy(2))).maximumWeight(16L << 20)
                .weigher((String key, Page page) -> page.size()).build();
        // Bounded by characters too: a search's address can be long.
        this.guestPageAt = Caffeine.newBuilder().maximumWeight(2L << 20).expireAfterAccess(Duration.ofMinutes(10))
                .weigher((String address, String key) -> address.length() + key.length()).build();
    }

    /** Serves a catalogue page, the same for every guest: it may be served again to a plain guest by its address. */
    void serveCatalogue(String key, String view, Supplier<Map<String, Object>> model, HttpServletRequest request,
            HttpServletResponse response) throws Exception {
        serve(key, view, model, request, response, true);
    }

    /** The fresh copy of the catalogue page a guest was last shown at this request's address, or null. */
    Page forPlainGuest(HttpServletRequest request) {
        String key = guestPageAt.getIfPresent(address(request));
        Page page = key == null ? null : pages.getIfPresent(key);
        return page == null || page.olderThan(freshForNanos) ? null : page;
    }

    private static String address(HttpServletRequest request) {
        String query = request.getQueryString();
        return query == null ? request.getRequestURI() : request.getRequestURI() + "?" + query;
    }

    /**
     * Serves the page {@code key}, rendering {@code view} with {@code model} only when no fresh copy is kept.
     * <p>When the copy has aged, the first request to see it renders the page again while the others are still served
     * the copy: a busy page is never waited on by every visitor at once.
     */
    public void serve(String key, String view, Supplier<Map<String, Object>> model, HttpServletRequest request,
            HttpServletResponse response) throws Exception {
        serve(key, view, model, request, response, false);
    }

    private void serve(String key, String view, Supplier<Map<String, Object>> model, HttpServletRequest request,
            HttpServletResponse response, boolean sameForEveryGuest) throws Exception {
        Map<String, ?> flash = RequestContextUtils.getInputFlashMap(request);
        if (flash != null && !flash.isEmpty()) {
            Map<String, Object> withMessage = new HashMap<>(flash);
            withMessage.putAll(model.get());
            render(view, withMessage, request, response).copyBodyToResponse();
            return;
        }
        String kind = visitorKind();
        String kept = key + "\n" + kind;
        Page page = pages.getIfPresent(kept);
        if (page == null || page.olderThan(freshForNanos) && page.claimRenewal()) {
            long started = System.nanoTime();
            ContentCachingResponseWrapper rendered;
            try {
                rendered = render(view, model.get(), request, response);
            } catch (RuntimeException e) {
                // Whatever stopped this rendering (the book is gone, the database is down) is not hidden behind the copy.
                pages.invalidate(kept);
                throw e;
            }
            page = Page.cut(rendered.getContentAsByteArray(), started);
            if (page == null) {
                // The layout no longer shows the cart count where expected: serve the page, but never reuse it.
                log.warn("Page {} cannot be reused: its cart count was not found", key);
                pages.invalidate(kept);
                rendered.copyBodyToResponse();
                return;
            }
            pages.put(kept, page);
        } else {
            response.setContentType(Page.CONTENT_TYPE);
        }
        if (sameForEveryGuest && GUEST.equals(kind)) {
            // Known before the page is sent: the visitor may ask again the moment they have it.
            guestPageAt.put(address(request), kept);
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
            return GUEST;
        }
        return "buyer " + authentication.getName() + " "
                + authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority).sorted().toList();
    }

    static String csrfToken(HttpServletRequest request) {
        return request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token ? token.getToken() : "";
    }

    /** A rendered page cut into the bytes every visitor shares, with holes between them. */
    record Page(List<byte[]> pieces, List<Boolean> holeIsCartCount, int size, long renderedAt, AtomicBoolean renewing) {

        static final String CONTENT_TYPE = "text/html;charset=UTF-8";

        /** True if this copy's rendering began more than {@code nanos} ago. */
        boolean olderThan(long nanos) {
            return System.nanoTime() - renderedAt > nanos;
        }

        /** True for the one caller who is to render this page again. */
        boolean claimRenewal() {
            return renewing.compareAndSet(false, true);
        }

        /**
         * {@code html} rendered from what the database held at {@code renderedAt} (a {@link System#nanoTime()}), or null
         * if the page has no cart count to put in: it would not be right for another visitor.
         */
        static Page cut(byte[] html, long renderedAt) {
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
            return new Page(List.copyOf(pieces), List.copyOf(holes), html.length, renderedAt, new AtomicBoolean());
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
