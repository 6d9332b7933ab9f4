package org.bookstore.store.notifications;

import jakarta.servlet.http.HttpServletRequest;
import org.bookstore.store.common.NotFoundException;
import org.bookstore.store.notifications.OutgoingMail.Message;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * "Sent mail": every mail the store has sent, kept, or is still trying to send, and each one as its recipient reads
 * it. For admins and for someone at the store's own machine; anyone else gets the 404 of a page that does not exist.
 */
@Controller
class SentMailController {

    static final String PATH = "/sent-mail";

    private final OutgoingMail outbox;
    private final Smtp smtp;

    SentMailController(OutgoingMail outbox, Smtp smtp) {
        this.outbox = outbox;
        this.smtp = smtp;
    }

    @GetMapping(PATH)
    String list(HttpServletRequest request, Model model) {
        guard(request);
        model.addAttribute("mails", outbox.latest(200));
        model.addAttribute("smtp", smtp.sender().isPresent());
        return "notifications/sent-mail";
    }

    @GetMapping(PATH + "/{id}")
    String one(@PathVariable String id, HttpServletRequest request, Model model) {
        guard(request);
        model.addAttribute("mail", find(id));
        return "notifications/sent-mail-message";
    }

    /** The HTML part alone, framed by the page above; served with a policy of its own (see SentMailFraming). */
    @GetMapping(value = PATH + "/{id}/html", produces = MediaType.TEXT_HTML_VALUE)
    @ResponseBody
    String html(@PathVariable String id, HttpServletRequest request) {
        guard(request);
        return find(id).html();
    }

    private Message find(String id) {
        return (id.matches("\\d{1,18}") ? outbox.find(Long.parseLong(id)) : java.util.Optional.<Message>empty())
                .orElseThrow(() -> new NotFoundException("There is no such mail."));
    }

    private static void guard(HttpServletRequest request) {
        if (!SentMailAccess.allowed(request)) {
            throw new NotFoundException("We could not find that page.");
        }
    }
}
