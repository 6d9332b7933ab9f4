package org.bookstore.store.accounts;

import java.time.Clock;
import org.bookstore.store.common.ContentSecurityPolicy;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

/** Who may see what: browsing and the cart are open to everyone; checkout and orders need an account. */
@Configuration
@EnableConfigurationProperties(LoginThrottle.Limits.class)
class SecurityConfig {

    static final String LOGIN_PATH = "/login";
    static final String EMAIL_PARAMETER = "email";

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, LoginThrottleEvents throttle, ContentSecurityPolicy policy)
            throws Exception {
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/checkout/**", "/orders/**").authenticated()
                        .anyRequest().permitAll())
                // Stripe signs its webhooks; they carry no session and no CSRF token.
                .csrf(csrf -> csrf.ignoringRequestMatchers("/stripe/webhook"))
                .formLogin(login -> login
                        .loginPage(LOGIN_PATH)
                        .usernameParameter(EMAIL_PARAMETER)
                        .defaultSuccessUrl("/")
                        .failureHandler(throttle.failureHandler(LOGIN_PATH + "?error")))
                .logout(logout -> logout.logoutSuccessUrl("/?loggedOut"))
                .exceptionHandling(errors -> errors.accessDeniedPage("/forbidden"))
                .addFilterBefore(throttle.filter(), UsernamePasswordAuthenticationFilter.class)
                .headers(headers -> headers
                        .addHeaderWriter((request, response) -> response.setHeader("Content-Security-Policy", policy.header()))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN)));
        return http.build();
    }

    /** BCrypt today, and any older hash still verifies: stored hashes carry their algorithm's id. */
    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
