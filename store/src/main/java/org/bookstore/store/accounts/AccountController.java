package org.bookstore.store.accounts;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import java.nio.charset.StandardCharsets;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

@Controller
class AccountController {

    private final AccountRepository accounts;
    private final PasswordEncoder passwordEncoder;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final SecurityContextHolderStrategy securityContexts = SecurityContextHolder.getContextHolderStrategy();
    private final SecurityContextRepository securityContextRepository = new HttpSessionSecurityContextRepository();
    private final RequestCache requestCache;
    private final LoginThrottle throttle;
    private final KnownDevices devices;

    AccountController(AccountRepository accounts, PasswordEncoder passwordEncoder, ApplicationEventPublisher events,
            TransactionTemplate transactions, ReturnPathCookie requestCache, LoginThrottle throttle, KnownDevices devices) {
        this.accounts = accounts;
        this.requestCache = requestCache;
        this.throttle = throttle;
        this.devices = devices;
        this.passwordEncoder = passwordEncoder;
        this.events = events;
        this.transactions = transactions;
    }

    @InitBinder
    void binder(WebDataBinder binder) {
        binder.setDisallowedFields("id", "role");
    }

    @GetMapping(SecurityConfig.LOGIN_PATH)
    String login(HttpServletRequest request, HttpServletResponse response, Model model) {
        model.addAttribute("toCheckout", headedForCheckout(request, response));
        return "accounts/login";
    }

    @GetMapping("/register")
    String registrationForm(HttpServletRequest request, HttpServletResponse response, Model model) {
        model.addAttribute("form", RegistrationForm.empty());
        model.addAttribute("toCheckout", headedForCheckout(request, response));
        return "accounts/register";
    }

    /** Whether a guest was sent here by "Checkout": logging in or registering takes them back there. */
    private boolean headedForCheckout(HttpServletRequest request, HttpServletResponse response) {
        SavedRequest saved = requestCache.getRequest(request, response);
        if (saved == null) {
            return false;
        }
        try {
            String path = java.net.URI.create(saved.getRedirectUrl()).getPath();
            return path != null && path.startsWith("/checkout");
        } catch (IllegalArgumentException unparsable) {
            return false;
        }
    }

    @PostMapping("/register")
    String register(@Valid @ModelAttribute("form") RegistrationForm form, BindingResult result,
            HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes redirect) {
        if (!result.hasFieldErrors("password") && form.password().getBytes(StandardCharsets.UTF_8).length > 72) {
            result.rejectValue("password", "tooLong", "Your password is too long; please use fewer special characters.");
        }
        if (!result.hasErrors()) {
            // Counted before the email is looked up, so the limit also bounds guessing which emails have accounts.
            var wait = throttle.takeRegistration(request.getRemoteAddr());
            if (wait.isPresent()) {
                model.addAttribute("registrationsLocked", Math.max(1, (wait.get().toSeconds() + 59) / 60));
                model.addAttribute("toCheckout", headedForCheckout(request, response));
                response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
                response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, wait.get().toSeconds())));
                return "accounts/register";
            }
        }
        if (!result.hasFieldErrors("email") && accounts.emailTaken(form.email())) {
            result.rejectValue("email", "taken", "An account with this email already exists. Log in instead.");
        }
        if (result.hasErrors()) {
            model.addAttribute("toCheckout", headedForCheckout(request, response));
            return "accounts/register";
        }
        try {
            String passwordHash = passwordEncoder.encode(form.password());
            // The event is stored with the account, so the welcome mail is sent even if the store stops right after.
            transactions.executeWithoutResult(status -> events.publishEvent(
                    new AccountRegistered(accounts.create(form.email(), form.name(), passwordHash))));
        } catch (DuplicateKeyException raced) {
            result.rejectValue("email", "taken", "An account with this email already exists. Log in instead.");
            model.addAttribute("toCheckout", headedForCheckout(request, response));
            return "accounts/register";
        }
        logIn(accounts.loadUserByUsername(form.email()), request, response);
        SavedRequest headedFor = requestCache.getRequest(request, response);
        requestCache.removeRequest(request, response);
        redirect.addFlashAttribute("notice", "Welcome to Bookstore, " + form.name() + ". Your account is ready.");
        return "redirect:" + (headedFor != null ? headedFor.getRedirectUrl() : "/");
    }

    /**
     * Logs the new buyer straight in, as a log-in form would: new session id, saved context, this browser known to the
     * account, success event.
     */
    private void logIn(BuyerPrincipal buyer, HttpServletRequest request, HttpServletResponse response) {
        buyer.eraseCredentials();
        Authentication authentication = UsernamePasswordAuthenticationToken.authenticated(buyer, null, buyer.getAuthorities());
        if (request.getSession(false) != null) {
            request.changeSessionId();
        }
        SecurityContext context = securityContexts.createEmptyContext();
        context.setAuthentication(authentication);
        securityContexts.setContext(context);
        securityContextRepository.saveContext(context, request, response);
        devices.remember(request, response, buyer.accountId());
        events.publishEvent(new AuthenticationSuccessEvent(authentication));
    }
}
