package org.bookstore.store.common;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Whether a request comes from the machine the store runs on, as a newcomer trying the shop does. A request that came
 * through a proxy is never "at the machine", even when the proxy runs there: it says so with a forwarding header.
 */
public final class ThisMachine {

    private ThisMachine() {
    }

    public static boolean isWhere(HttpServletRequest request) {
        if (request.getHeader("X-Forwarded-For") != null || request.getHeader("Forwarded") != null
                || request.getHeader("X-Real-IP") != null) {
            return false;
        }
        String address = request.getRemoteAddr();
        if (address == null) {
            return false;
        }
        if (address.equals("127.0.0.1") || address.equals("0:0:0:0:0:0:0:1")) {
            return true; // the loopback addresses as Tomcat writes them, without parsing them on every page
        }
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
