package org.bookstore.store.notifications;

import jakarta.servlet.http.HttpServletRequest;
import org.bookstore.store.common.ThisMachine;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Who may read the store's mail: an admin (an account with role ADMIN), or someone at the machine the store runs on
 * ({@link ThisMachine}), as a newcomer trying the shop is.
 */
@Component("sentMailAccess")
public class SentMailAccess {

    /** For the layout: whether to show the link to the "Sent mail" page. */
    public boolean allowedHere() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes && allowed(attributes.getRequest());
    }

    static boolean allowed(HttpServletRequest request) {
        return request.isUserInRole("ADMIN") || ThisMachine.isWhere(request);
    }
}
