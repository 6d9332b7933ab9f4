package org.bookstore.store.catalog;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.bookstore.store.catalog.RenderedPages.Page;
import org.bookstore.store.common.PlainGuests;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Catalogue pages for plain guests (no session, no cart, no cookie but the CSRF one), served from the copy kept for
 * their address before the session filter, Spring Security's chain and Spring MVC, which would find nothing to do for
 * them but still cost more than the page itself. The copy is the one {@link RenderedPages} keeps for every guest, so
 * it is exactly as fresh; the accounts module adds the security headers and the CSRF token as its chain would. A
 * request for any other address, by any other visitor, or when no fresh copy is kept, goes the whole way.
 */
@Configuration(proxyBeanMethods = false)
class PlainGuestPages {

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> plainGuestPagesFilter(RenderedPages pages, PlainGuests guests,
            MeterRegistry meters) {
        Counter served = Counter.builder("bookstore.pages.plain-guest")
                .description("Catalogue pages served to plain guests from the kept copy, before the filter chain")
                .register(meters);
        var registration = new FilterRegistrationBean<OncePerRequestFilter>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                Page page = "GET".equals(request.getMethod()) && guests.isPlainGuest(request)
                        ? pages.forPlainGuest(request) : null;
                if (page == null) {
                    chain.doFilter(request, response);
                    return;
                }
                served.increment();
                guests.serve(request, response, (req, res) -> {
                    res.setContentType(Page.CONTENT_TYPE);
                    // A plain guest has no cart: its count is 0.
                    page.write("0", RenderedPages.csrfToken((HttpServletRequest) req), (HttpServletResponse) res);
                });
            }
        });
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        // After the request limits and before the session filter (and the filter around it).
        registration.setOrder(SessionRepositoryFilter.DEFAULT_ORDER - 2);
        return registration;
    }
}
