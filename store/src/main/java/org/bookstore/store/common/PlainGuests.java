package org.bookstore.store.common;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Visitors who carry no session and no cookie but the CSRF one: not logged in, no guest cart, no flash message. Every
 * such visitor is shown the same catalogue page, so a copy rendered for one can be served to the next without the
 * whole filter chain. The accounts module, which owns that chain, says who is one and adds what the chain would
 * still add to their response.
 */
public interface PlainGuests {

    /** True if the request carries nothing that could make its page differ from another guest's. */
    boolean isPlainGuest(HttpServletRequest request);

    /**
     * Runs {@code page} inside the filters of the store's chain that apply to a plain guest's page: the security
     * headers, and the CSRF token (set as a cookie when the visitor has none), which {@code page} finds in the
     * request attribute {@code org.springframework.security.web.csrf.CsrfToken} as the chain would leave it.
     */
    void serve(HttpServletRequest request, HttpServletResponse response, FilterChain page)
            throws IOException, ServletException;
}
