package org.bookstore.store.notifications;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The HTML part of a mail is shown in a frame of the "Sent mail" page. A mail carries its own inline styles, which
 * the store's pages forbid, so that one address gets its own security headers: nothing may run or load from it
 * (scripts are sandboxed off), its styles apply, and only the store's own pages may frame it.
 */
@Configuration
@EnableConfigurationProperties(MailSettings.class)
class SentMailFraming {

    static final String POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'; "
            + "base-uri 'none'; form-action 'none'; sandbox allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation";

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityFilterChain mailPartFrames(HttpSecurity http) throws Exception {
        http.securityMatcher(SentMailController.PATH + "/*/html")
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                // Only ever read with GET, and never makes a session of its own.
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.NEVER))
                .headers(headers -> headers
                        .frameOptions(frames -> frames.sameOrigin())
                        .contentSecurityPolicy(policy -> policy.policyDirectives(POLICY)));
        return http.build();
    }
}
