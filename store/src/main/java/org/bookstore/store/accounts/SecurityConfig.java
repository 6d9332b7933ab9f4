package org.bookstore.store.accounts;

import java.time.Clock;
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

    /** Only the store's own origin: pages load nothing from anywhere else. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; "
            + "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, LoginThrottleEvents throttle) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/checkout/**", "/orders/**").authenticated()
                        .anyRequest().permitAll())
                .formLogin(login -> login
                        .loginPage(LOGIN_PATH)
                        .usernameParameter(EMAIL_PARAMETER)
                        .defaultSuccessUrl("/")
                        .failureHandler(throttle.failureHandler(LOGIN_PATH + "?error")))
                .logout(logout -> logout.logoutSuccessUrl("/?loggedOut"))
                .exceptionHandling(errors -> errors.accessDeniedPage("/forbidden"))
                .addFilterBefore(throttle.filter(), UsernamePasswordAuthenticationFilter.class)
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
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
