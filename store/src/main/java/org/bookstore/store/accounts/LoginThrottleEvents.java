package org.bookstore.store.accounts;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Counts each log-in attempt with the {@link LoginThrottle} before its password is checked (stopping it there if the
 * account or the address is locked out), and gives the attempt back unless the password was wrong. From a browser the
 * account has logged in from before ({@link KnownDevices}), the account's attempts are that browser's own.
 * The client address is the connection's; behind a proxy, set server.forward-headers-strategy=native so it is the
 * buyer's as the last proxy saw it (see the README).
 */
@Component
class LoginThrottleEvents {

    /** Set on a log-in request whose email and password did not match: its attempt stays counted. */
    private static final String WRONG_PASSWORD = LoginThrottleEvents.class.getName() + ".WRONG_PASSWORD";

    /** The digest of a log-in request's browser, if the account it names has logged in from it before. */
    private static final String KNOWN_DEVICE = LoginThrottleEvents.class.getName() + ".KNOWN_DEVICE";

    private final LoginThrottle throttle;
    private final KnownDevices devices;
    private final AccountSessions sessions;

    LoginThrottleEvents(LoginThrottle throttle, KnownDevices devices, AccountSessions sessions) {
        this.throttle = throttle;
        this.devices = devices;
        this.sessions = sessions;
    }

    /**
     * After a log-in: the browser becomes (or stays) one the account is known on, its own count of wrong passwords
     * is cleared, the account's sessions are kept to its most recent ({@link AccountSessions}), and the buyer goes on
     * to the page they were headed for, else {@code defaultUrl}.
     */
    AuthenticationSuccessHandler successHandler(String defaultUrl, RequestCache requestCache) {
        SavedRequestAwareAuthenticationSuccessHandler goOn = new SavedRequestAwareAuthenticationSuccessHandler();
        goOn.setDefaultTargetUrl(defaultUrl);
        goOn.setRequestCache(requestCache);
        return (request, response, authentication) -> {
            if (authentication.getPrincipal() instanceof BuyerPrincipal buyer) {
                devices.remember(request, response, buyer.accountId());
            }
            sessions.keepMostRecent(authentication.getName());
            if (request.getAttribute(KNOWN_DEVICE) instanceof String device) {
                throttle.recordSuccessOn(device);
            }
            goOn.onAuthenticationSuccess(request, response, authentication);
        };
    }

    /**
     * Shows the log-in error. A wrong email or password keeps the attempt counted; no session is made to carry the
     * error (the page's address says it), so failed log-ins write no session rows.
     */
    AuthenticationFailureHandler failureHandler(String failureUrl) {
        SimpleUrlAuthenticationFailureHandler showError = new SimpleUrlAuthenticationFailureHandler(failureUrl);
        showError.setAllowSessionCreation(false);
        return (request, response, exception) -> {
            if (exception instanceof BadCredentialsException) {
                request.setAttribute(WRONG_PASSWORD, Boolean.TRUE);
            }
            showError.onAuthenticationFailure(request, response, exception);
        };
    }

    @EventListener
    void onSuccess(AuthenticationSuccessEvent event) {
        throttle.recordSuccess(event.getAuthentication().getName());
    }

    OncePerRequestFilter filter() {
        return new OncePerRequestFilter() {
            private final RequestMatcher loginForm = PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, SecurityConfig.LOGIN_PATH);

            @Override
            protected boolean shouldNotFilter(HttpServletRequest request) {
                return !loginForm.matches(request);
            }

            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                String email = request.getParameter(SecurityConfig.EMAIL_PARAMETER);
                Optional<String> device = email == null ? Optional.empty() : devices.recognised(request, email);
                device.ifPresent(digest -> request.setAttribute(KNOWN_DEVICE, digest));
                Optional<Duration> wait = throttle.takeAttempt(email, request.getRemoteAddr(), device);
                if (wait.isPresent()) {
                    long minutes = Math.max(1, (wait.get().toSeconds() + 59) / 60);
                    response.setStatus(HttpServletResponse.SC_SEE_OTHER);
                    response.setHeader("Location", request.getContextPath() + SecurityConfig.LOGIN_PATH + "?locked=" + minutes);
                    return;
                }
                try {
                    chain.doFilter(request, response);
                } finally {
                    if (request.getAttribute(WRONG_PASSWORD) == null) {
                        throttle.giveBack(email, request.getRemoteAddr(), device);
                    }
                }
            }
        };
    }
}
