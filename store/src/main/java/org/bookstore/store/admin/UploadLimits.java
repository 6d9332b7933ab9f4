package org.bookstore.store.admin;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A back-office upload past the multipart limits (2 MB a file, 3 MB a request) is answered with the form again and a
 * clear message, before anything else reads the request: left alone it would lose its CSRF token with its other fields
 * and be shown as an expired form. Nothing is saved.
 */
@Configuration
class UploadLimits {

    static final String MESSAGE = "The cover image is too large: it can be at most 2 MB. Nothing was saved; choose a smaller image.";

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> uploadLimitFilter() {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new OncePerRequestFilter() {
            @Override
            protected boolean shouldNotFilter(HttpServletRequest request) {
                String type = request.getContentType();
                return !"POST".equals(request.getMethod()) || type == null || !type.toLowerCase().startsWith("multipart/")
                        || !request.getRequestURI().startsWith(request.getContextPath() + "/admin/");
            }

            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                try {
                    request.getParts();
                } catch (IllegalStateException | IOException | ServletException tooLarge) {
                    // Tomcat reads the rest of the body away (server.tomcat.max-swallow-size), so the browser gets this answer.
                    response.setStatus(HttpServletResponse.SC_SEE_OTHER);
                    response.setHeader("Location", request.getContextPath() + request.getRequestURI().substring(request.getContextPath().length())
                            + "?tooLarge");
                    return;
                }
                chain.doFilter(request, response);
            }
        });
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
