package org.bookstore.store.notifications;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Who may read the store's mail: an admin (an account with role ADMIN), or someone at the machine the store runs on,
 * as a newcomer trying the shop is. A request that came through a proxy is never "at the machine", even when the
 * proxy runs there: it says so with a forwarding header.
 */
@Component("sentMailAccess")
public class SentMailAccess {

    /** For the layout: whether to show the link to the "Sent mail" page. */
    public boolean allowedHere() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes && allowed(attributes.getRequest());
    }

    static boolean allowed(HttpServletRequest request) {
        return request.isUserInRole("ADMIN") || fromThisMachine(request);
    }

    private static boolean fromThisMachine(HttpServletRequest request) {
        if (request.getHeader("X-Forwarded-For") != null || request.getHeader("Forwarded") != null
                || request.getHeader("X-Real-IP") != null) {
            return false;
        }
        try {
            String address = request.getRemoteAddr();
            return address != null && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
