package org.bookstore.store.accounts;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.bookstore.store.common.PlainGuests;
import org.springframework.http.HttpHeaders;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.header.HeaderWriterFilter;

/**
 * A plain guest's page through the very filters of the store's chain that still apply to it: the security headers
 * and the CSRF token (and cookie), configured once in {@link SecurityConfig}. Nothing else in the chain acts on a
 * visitor with no session and no credentials asking for a page anyone may see.
 */
final class PlainGuestFilters implements PlainGuests {

    private final String csrfCookie;
    private final List<Filter> filters;

    PlainGuestFilters(SecurityFilterChain chain, String csrfCookie) {
        this.csrfCookie = csrfCookie;
        this.filters = chain.getFilters().stream()
                .filter(filter -> filter instanceof HeaderWriterFilter || filter instanceof CsrfFilter
                        || filter instanceof SecurityConfig.CsrfCookieFilter)
                .toList();
        if (filters.size() != 3) {
            throw new IllegalStateException("The store's filter chain no longer has its header and CSRF filters: " + filters);
        }
    }

    @Override
    public boolean isPlainGuest(HttpServletRequest request) {
        if (request.getHeader(HttpHeaders.AUTHORIZATION) != null) {
            return false;
        }
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie cookie : cookies) {
                if (!csrfCookie.equals(cookie.getName())) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public void serve(HttpServletRequest request, HttpServletResponse response, FilterChain page)
            throws IOException, ServletException {
        new FilterChain() {
            private int next;

            @Override
            public void doFilter(ServletRequest request, ServletResponse response) throws IOException, ServletException {
                if (next < filters.size()) {
                    filters.get(next++).doFilter(request, response, this);
                } else {
                    page.doFilter(request, response);
                }
            }
        }.doFilter(request, response);
    }
}
