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
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Counts each log-in attempt with the {@link LoginThrottle} before its password is checked (stopping it there if the
 * account or the address is locked out), and gives the attempt back unless the password was wrong.
 * The client address is the connection's; behind a proxy, set server.forward-headers-strategy=native so it is the
 * buyer's as the last proxy saw it (see the README).
 */
@Component
class LoginThrottleEvents {

    /** Set on a log-in request whose email and password did not match: its attempt stays counted. */
    private static final String WRONG_PASSWORD = LoginThrottleEvents.class.getName() + ".WRONG_PASSWORD";

    private final LoginThrottle throttle;

    LoginThrottleEvents(LoginThrottle throttle) {
        this.throttle = throttle;
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
                Optional<Duration> wait = throttle.takeAttempt(email, request.getRemoteAddr());
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
                        throttle.giveBack(email, request.getRemoteAddr());
                    }
                }
            }
        };
    }
}
