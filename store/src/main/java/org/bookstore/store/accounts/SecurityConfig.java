package org.bookstore.store.accounts;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.DefaultCsrfToken;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;
import org.springframework.web.filter.OncePerRequestFilter;
import org.bookstore.store.common.ContentSecurityPolicy;
import org.bookstore.store.common.PlainGuests;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

/** Who may see what: browsing and the cart are open to everyone; checkout and orders need an account. */
@Configuration
@EnableConfigurationProperties({LoginThrottle.Limits.class, AdminAccount.Settings.class})
class SecurityConfig {

    static final String LOGIN_PATH = "/login";
    static final String EMAIL_PARAMETER = "email";
    static final String CSRF_COOKIE = "XSRF-TOKEN";

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, LoginThrottleEvents throttle, ContentSecurityPolicy policy,
            ReturnPathCookie returnPath) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                        // The back office: a buyer gets the store's 403 page, an anonymous visitor the log-in page.
                        .requestMatchers("/admin", "/admin/**").hasRole(AdminAccount.ROLE)
                        .requestMatchers("/checkout/**", "/orders/**").authenticated()
                        .anyRequest().permitAll())
                // The CSRF token lives in a cookie, not the session: browsing never writes a session row, and any
                // instance can check any form. Stripe's webhooks, signed and carrying no session or CSRF token, are
                // answered before this chain (payments' StripeWebhookEndpoint).
                .csrf(csrf -> {
                    SecureRandom random = new BlockRandom(drbg());
                    csrf.csrfTokenRepository(csrfCookie(random)).csrfTokenRequestHandler(maskedTokens(random));
                })
                .addFilterAfter(new CsrfCookieFilter(), CsrfFilter.class)
                // The page to go back to after log-in is kept in a cookie: being sent to log in writes no session.
                .requestCache(cache -> cache.requestCache(returnPath))
                .formLogin(login -> login
                        .loginPage(LOGIN_PATH)
                        .usernameParameter(EMAIL_PARAMETER)
                        .successHandler(throttle.successHandler("/", returnPath))
                        .failureHandler(throttle.failureHandler(LOGIN_PATH + "?error")))
                .logout(logout -> logout.logoutSuccessUrl("/?loggedOut"))
                .exceptionHandling(errors -> errors.accessDeniedPage("/forbidden"))
                .addFilterBefore(throttle.filter(), UsernamePasswordAuthenticationFilter.class)
                .headers(headers -> headers
                        .addHeaderWriter((request, response) -> response.setHeader("Content-Security-Policy", policy.header()))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN)));
        return http.build();
    }

    /** Who a plain guest is, and the filters of the chain above that still apply to their catalogue pages. */
    @Bean
    PlainGuests plainGuests(@Qualifier("securityFilterChain") SecurityFilterChain chain) {
        return new PlainGuestFilters(chain, CSRF_COOKIE);
    }

    /**
     * Covers, style sheets, scripts and the icon are the same for everyone: no log-in, session or CSRF cookie applies,
     * so they skip that work, and a response that may be cached publicly never sets a cookie.
     */
    @Bean
    @Order(0)
    SecurityFilterChain publicFiles(HttpSecurity http, ContentSecurityPolicy policy) throws Exception {
        http.securityMatcher("/assets/**", "/webjars/**", "/books/*/cover.svg", "/favicon.ico")
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .securityContext(context -> context.disable())
                .sessionManagement(sessions -> sessions.disable())
                .anonymous(anonymous -> anonymous.disable())
                .headers(headers -> headers
                        .addHeaderWriter((request, response) -> response.setHeader("Content-Security-Policy", policy.header())));
        return http.build();
    }

    /** Nothing exports Spring Security's per-filter observations, and wrapping every filter in one cost a tenth of a page. */
    @Bean
    SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * Each page's forms carry the CSRF token masked with fresh random bytes (against BREACH), and a visitor without a
     * token is given a new random one. The default sources read the operating system's random device under one lock
     * on every page; a DRBG seeded from it gives the same unpredictability without the system call and the lock, and
     * {@link BlockRandom} draws from it a kilobyte at a time.
     */
    private static XorCsrfTokenRequestAttributeHandler maskedTokens(SecureRandom random) {
        XorCsrfTokenRequestAttributeHandler handler = new XorCsrfTokenRequestAttributeHandler();
        handler.setSecureRandom(random);
        return handler;
    }

    private static CsrfTokenRepository csrfCookie(SecureRandom random) {
        CookieCsrfTokenRepository repository = new CookieCsrfTokenRepository();
        repository.setCookieName(CSRF_COOKIE);
        repository.setCookieCustomizer(cookie -> cookie.sameSite("Lax").path("/"));
        return new RandomTokens(repository, random);
    }

    private static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JDK has no DRBG random number generator", e);
        }
    }

    /** The cookie's tokens, each 128 random bits from {@code random} in place of a random UUID's 122. */
    private static final class RandomTokens implements CsrfTokenRepository {

        private final CsrfTokenRepository cookie;
        private final SecureRandom random;
        /** The cookie's header and parameter names, asked once. */
        private final CsrfToken names;

        RandomTokens(CsrfTokenRepository cookie, SecureRandom random) {
            this.cookie = cookie;
            this.random = random;
            this.names = cookie.generateToken(null);
        }

        @Override
        public CsrfToken generateToken(HttpServletRequest request) {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            return new DefaultCsrfToken(names.getHeaderName(), names.getParameterName(),
                    Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        }

        @Override
        public void saveToken(CsrfToken token, HttpServletRequest request, HttpServletResponse response) {
            cookie.saveToken(token, request, response);
        }

        @Override
        public CsrfToken loadToken(HttpServletRequest request) {
            return cookie.loadToken(request);
        }
    }

    /**
     * Writes the CSRF cookie before the page is rendered. Left to the template, a page longer than the response
     * buffer would be committed before its first form asked for the token, and the cookie would be lost.
     */
    static final class CsrfCookieFilter extends OncePerRequestFilter {
        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token) {
                token.getToken();
            }
            chain.doFilter(request, response);
        }
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
