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
 * Feeds log-in outcomes to the {@link LoginThrottle}, and stops a locked-out log-in before the password is checked.
 * The client address is the connection's; behind a proxy, set server.forward-headers-strategy=native so it is the
 * buyer's as the last proxy saw it (see the README).
 */
@Component
class LoginThrottleEvents {

    private final LoginThrottle throttle;

    LoginThrottleEvents(LoginThrottle throttle) {
        this.throttle = throttle;
    }

    /** Counts a wrong email or password against both the account and the address, then shows the log-in error. */
    AuthenticationFailureHandler failureHandler(String failureUrl) {
        SimpleUrlAuthenticationFailureHandler showError = new SimpleUrlAuthenticationFailureHandler(failureUrl);
        return (request, response, exception) -> {
            if (exception instanceof BadCredentialsException) {
                throttle.recordFailure(request.getParameter(SecurityConfig.EMAIL_PARAMETER), request.getRemoteAddr());
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
                Optional<Duration> wait = throttle.lockedFor(request.getParameter(SecurityConfig.EMAIL_PARAMETER), request.getRemoteAddr());
                if (wait.isPresent()) {
                    long minutes = Math.max(1, (wait.get().toSeconds() + 59) / 60);
                    response.setStatus(HttpServletResponse.SC_SEE_OTHER);
                    response.setHeader("Location", request.getContextPath() + SecurityConfig.LOGIN_PATH + "?locked=" + minutes);
                    return;
                }
                chain.doFilter(request, response);
            }
        };
    }
}
