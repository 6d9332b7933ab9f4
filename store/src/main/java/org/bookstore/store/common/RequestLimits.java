package org.bookstore.store.common;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Nothing a client sends may stop the store answering. A form larger than {@code server.tomcat.max-http-form-post-size}
 * is refused with a 413 before anything reads it, instead of arriving with its fields silently missing.
 */
@Configuration
class RequestLimits {

    @Bean
    FilterRegistrationBean<FormSizeLimit> formSizeLimit(@Value("${server.tomcat.max-http-form-post-size:2MB}") DataSize limit) {
        FilterRegistrationBean<FormSizeLimit> registration = new FilterRegistrationBean<>(new FormSizeLimit(limit.toBytes()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    static final class FormSizeLimit extends OncePerRequestFilter {

        private final long limit;

        FormSizeLimit(long limit) {
            this.limit = limit;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String type = request.getContentType();
            if (type != null && type.toLowerCase().startsWith("application/x-www-form-urlencoded") && request.getContentLengthLong() > limit) {
                response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
                return;
            }
            chain.doFilter(request, response);
        }
    }
}
