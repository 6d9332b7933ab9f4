package org.bookstore.store.common;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.web.WebProperties;
import org.springframework.boot.webmvc.autoconfigure.error.BasicErrorController;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorViewResolver;
import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.ui.Model;
import org.springframework.web.servlet.ModelAndView;

/** Error pages in the store's layout: a 404 for anything missing, a 403 that explains an expired form. */
@ControllerAdvice
@Controller
class ErrorPages {

    static final String FORBIDDEN_PATH = "/forbidden";

    @ExceptionHandler(NotFoundException.class)
    @ResponseStatus(HttpStatus.NOT_FOUND)
    String notFound(NotFoundException exception, Model model) {
        model.addAttribute("message", exception.getMessage());
        return "error/404";
    }

    /**
     * A query or form whose text is not valid UTF-8 (such as {@code ?q=%ff}) is the visitor's mistake: a 400 page, not a
     * server error with a stack trace in the log.
     */
    @ExceptionHandler(InvalidParameterException.class)
    void undecodable(HttpServletResponse response) throws IOException {
        response.sendError(HttpStatus.BAD_REQUEST.value(), "The address or form is not valid text.");
    }

    /** Spring Security forwards here when access is denied, with the cause as a request attribute. */
    @RequestMapping(FORBIDDEN_PATH)
    @ResponseStatus(HttpStatus.FORBIDDEN)
    String forbidden(HttpServletRequest request, Model model) {
        Object cause = request.getAttribute(WebAttributes.ACCESS_DENIED_403);
        model.addAttribute("expiredForm", cause instanceof CsrfException);
        return "error/403";
    }

    /**
     * Spring Boot's error controller, except that {@code /error} asked for directly (no error behind it) is a page
     * that does not exist, not a server failure.
     */
    @Bean
    static BasicErrorController basicErrorController(ErrorAttributes attributes, WebProperties web,
            ObjectProvider<ErrorViewResolver> resolvers) {
        return new BasicErrorController(attributes, web.getError(), resolvers.orderedStream().toList()) {
            @Override
            protected HttpStatus getStatus(HttpServletRequest request) {
                return request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) == null ? HttpStatus.NOT_FOUND : super.getStatus(request);
            }

            /**
             * The page says what went wrong in its own words: the status's reason phrase ("Not Found") is left out of
             * the model, where the layout would show it as a second, red message above the page's own.
             */
            @Override
            protected ModelAndView resolveErrorView(HttpServletRequest request, HttpServletResponse response, HttpStatus status,
                    Map<String, Object> model) {
                Map<String, Object> withoutReason = new HashMap<>(model);
                withoutReason.remove("error");
                return super.resolveErrorView(request, response, status, Collections.unmodifiableMap(withoutReason));
            }
        };
    }
}
