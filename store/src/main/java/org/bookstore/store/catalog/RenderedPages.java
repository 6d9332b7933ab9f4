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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.bookstore.store.common.ThisMachine;
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
 * pages are kept by what they show; a cart page by everything it shows (its lines, prices, books and the buyer's
 * name), so a change to the cart is a new page at once.
 * The parts that differ from one request to the next, the header's cart count and the CSRF token of each form, are
 * cut out of the rendered page and put back for every visitor. A page with a flash message is never reused.
 * Entries expire by age, so a change made anywhere (another instance, SQL) shows everywhere; a change made in the
 * back office also drops this instance's copies at once. A page whose key names everything it shows (a cart page:
 * {@link #serveWhileKeyHolds}) does not age: it is rendered again when its key changes.
 * <p>A catalogue page rendered for a guest is also found by its address, so {@link PlainGuestPages} can serve the next
 * plain guest's request for it before the filters that would find nothing to do for them.
 */
@Component
public class RenderedPages {

    private static final Logger log = LoggerFactory.getLogger(RenderedPages.class);
    private static final byte[] CART_COUNT = "data-testid=\"cart-count\">".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CSRF_TOKEN = "name=\"_csrf\" value=\"".getBytes(StandardCharsets.US_ASCII);
    private static final String GUEST = "guest";
    private static final String GUEST_HERE = "guest here";

    private final ThymeleafViewResolver views;
    private final CartCount cartCount;
    private final Cache<String, Page> pages;
    /** Pages kept by everything they show, so they never age: dropped when unused for a while or memory is short. */
    private final Cache<String, Page> lastingPages;
    private final BookLinks bookLinks;
    private final Covers covers;
    private final long freshForNanos;
    /** Moves on each time every copy is dropped, so a rendering begun before is not kept after. */
    private final AtomicLong generation = new AtomicLong();
    /** The page (its key, without the visitor's kind) rendered for a guest at each address, path and query as sent. */
    private final Cache<String, String> guestPageAt;

    RenderedPages(ThymeleafViewResolver views, CartCount cartCount, BookLinks bookLinks, Covers covers,
            @Value("${bookstore.catalog.fresh-for:500ms}") Duration freshFor) {
        this.views = views;
        this.cartCount = cartCount;
        this.bookLinks = bookLinks;
        this.covers = covers;
        this.freshForNanos = freshFor.toNanos();
        // Bounded by bytes so a large catalogue cannot fill the heap: 16 MiB holds about a thousand pages. A copy older
        // than freshFor is only served while another request renders it again, and never once half as old again.
        this.pages = Caffeine.newBuilder().expireAfterWrite(freshFor.plus(freshFor.dividedBy(2))).maximumWeight(16L << 20)
                .weigher((String key, Page page) -> page.size()).build();
        this.lastingPages = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10)).maximumWeight(8L << 20)
                .weigher((String key, Page page) -> page.size()).build();
        // Bounded by characters too: a search's address can be long.
        this.guestPageAt = Caffeine.newBuilder().maximumWeight(2L << 20).expireAfterAccess(Duration.ofMinutes(10))
                .weigher((String address, String key) -> address.length() + key.length()).build();
    }

    /** Serves a catalogue page, the same for every guest: it may be served again to a plain guest by its address. */
    void serveCatalogue(String key, String view, Supplier<Map<String, Object>> model, HttpServletRequest request,
            HttpServletResponse response) throws Exception {
        serve(key, view, model, request, response, false);
    }

    /**
     * Serves the page {@code key}, whose key names everything the page shows that can change (with the visitor's
     * kind): its copy is never rendered again by age, only under a new key. For a page read from the database on every
     * request anyway, so that a change shows at once, where rendering it every {@code fresh-for} would cost more.
     */
    public void serveWhileKeyHolds(String key, String view, Supplier<Map<String, Object>> model,
            HttpServletRequest request, HttpServletResponse response) throws Exception {
        serve(key, view, model, request, response, true);
    }

    /**
     * The copy of the catalogue page a guest was last shown at this request's address, or null: fresh, or aged while
     * another request renders it again. An aged copy nobody renders yet is left to the whole chain, which renders it.
     */
    Page forPlainGuest(HttpServletRequest request) {
        String key = withoutBody(request) ? guestPageAt.getIfPresent(address(request)) : null;
        Page page = key == null ? null : pages.getIfPresent(key + "\n" + guest(request));
        return page == null || page.olderThan(freshForNanos) && !page.beingRenewed() ? null : page;
    }

    private static String address(HttpServletRequest request) {
        String query = request.getQueryString();
        return query == null ? request.getRequestURI() : request.getRequestURI() + "?" + query;
    }

    /**
     * True if the page was made from the address alone: a GET or HEAD with a body (a multipart form) has parameters
     * the address does not show.
     */
    private static boolean withoutBody(HttpServletRequest request) {
        return request.getContentLengthLong() <= 0 && request.getContentType() == null
                && request.getHeader("Transfer-Encoding") == null;
    }

    /**
     * Serves the page {@code key}, rendering {@code view} with {@code model} only when no usable copy is kept. A
     * catalogue page's copy is usable while fresh; a page kept {@code whileKeyHolds} for as long as it is kept.
     * <p>When a catalogue page's copy has aged, the first request to see it renders the page again while the others
     * are still served the copy: a busy page is never waited on by every visitor at once. When there is no copy, the
     * requests for it wait for one rendering.
     */
    private void serve(String key, String view, Supplier<Map<String, Object>> model, HttpServletRequest request,
            HttpServletResponse response, boolean whileKeyHolds) throws Exception {
        Map<String, ?> flash = RequestContextUtils.getInputFlashMap(request);
        if (flash != null && !flash.isEmpty()) {
            Map<String, Object> withMessage = new HashMap<>(flash);
            withMessage.putAll(model.get());
            render(view, withMessage, request, response).copyBodyToResponse();
            return;
        }
        String kind = visitorKind(request);
        String kept = key + "\n" + kind;
        Cache<String, Page> copies = whileKeyHolds ? lastingPages : pages;
        Page page = copies.getIfPresent(kept);
        Rendered[] fresh = new Rendered[1];
        if (page == null) {
            page = copies.get(kept, k -> {
                fresh[0] = render(view, model, request, response);
                return toKeep(fresh[0]);
            });
        } else if (!whileKeyHolds && page.olderThan(freshForNanos) && page.claimRenewal()) {
            try {
                fresh[0] = render(view, model, request, response);
            } catch (RuntimeException e) {
                // Whatever stopped this rendering (the book is gone, the database is down) is not hidden behind the copy.
                pages.invalidate(kept);
                throw e;
            }
            Page renewed = toKeep(fresh[0]);
            if (renewed != null) {
                // Kept unless a copy rendered later is there already.
                pages.asMap().compute(kept, (k, current) ->
                        current == null || current.renderedAt() - renewed.renderedAt() < 0 ? renewed : current);
            }
        }
        if (fresh[0] == null && page == null) {
            // Another request's rendering could not be kept: this one renders its own.
            fresh[0] = render(view, model, request, response);
        }
        if (fresh[0] != null) {
            if (fresh[0].page() == null) {
                fresh[0].wrapper().copyBodyToResponse();
                return;
            }
            page = fresh[0].page();
        } else {
            response.setContentType(Page.CONTENT_TYPE);
        }
        if (!whileKeyHolds && kind.equals(guest(request)) && withoutBody(request)) {
            // Known before the page is sent: the visitor may ask again the moment they have it.
            guestPageAt.put(address(request), key);
        }
        page.write(String.valueOf(cartCount.itemCount()), csrfToken(request), response);
    }

    /**
     * Renders the page into memory and cuts it for reuse. Its copy is null if it cannot be reused: the layout no longer
     * shows the cart count where expected.
     */
    private Rendered render(String viewName, Supplier<Map<String, Object>> model, HttpServletRequest request,
            HttpServletResponse response) {
        long started = System.nanoTime();
        long generationAtStart = generation.get();
        ContentCachingResponseWrapper wrapper = render(viewName, model.get(), request, response);
        Page page = Page.cut(wrapper.getContentAsByteArray(), started);
        if (page == null) {
            log.warn("Page {} cannot be reused: its cart count was not found", viewName);
        }
        return new Rendered(wrapper, page, generationAtStart);
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
                    forget();
                }
            });
        } else {
            forget();
        }
    }

    /** Drops every copy; a rendering under way now is served to its own request, but not kept. */
    private void forget() {
        generation.incrementAndGet();
        bookLinks.forget();
        covers.forget();
        pages.invalidateAll();
        lastingPages.invalidateAll();
    }

    /**
     * Guests all see the same page; a logged-in buyer's header is their own. Whoever is at the store's machine also
     * sees the footer's link to the mail the store sent.
     */
    private static String visitorKind(HttpServletRequest request) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || authentication instanceof AnonymousAuthenticationToken || !authentication.isAuthenticated()) {
            return guest(request);
        }
        var authorities = authentication.getAuthorities();
        String roles = authorities.size() == 1 ? "[" + authorities.iterator().next().getAuthority() + "]"
                : authorities.stream().map(GrantedAuthority::getAuthority).sorted().toList().toString();
        return "buyer " + authentication.getName() + " " + roles + (ThisMachine.isWhere(request) ? " here" : "");
    }

    private static String guest(HttpServletRequest request) {
        return ThisMachine.isWhere(request) ? GUEST_HERE : GUEST;
    }

    /** The copy of a page just rendered to keep, or null if it is not to be reused or every copy was dropped since. */
    private Page toKeep(Rendered rendered) {
        return rendered.generation() == generation.get() ? rendered.page() : null;
    }

    /** A page just rendered: what it wrote, and its copy (null if it cannot be reused). */
    private record Rendered(ContentCachingResponseWrapper wrapper, Page page, long generation) {
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

        boolean beingRenewed() {
            return renewing.get();
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
