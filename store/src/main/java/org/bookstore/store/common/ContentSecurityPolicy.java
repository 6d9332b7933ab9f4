package org.bookstore.store.common;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * The Content-Security-Policy every page is served with: the store's own origin only, plus exactly the origins
 * another module declares it needs (the payments module adds Stripe's, or the emulator's, when it starts).
 */
@Component
public class ContentSecurityPolicy {

    private final Map<String, Set<String>> directives = new LinkedHashMap<>();
    private volatile String header;

    public ContentSecurityPolicy() {
        directives.put("default-src", new LinkedHashSet<>(List.of("'self'")));
        directives.put("script-src", new LinkedHashSet<>(List.of("'self'")));
        directives.put("style-src", new LinkedHashSet<>(List.of("'self'")));
        directives.put("img-src", new LinkedHashSet<>(List.of("'self'", "data:")));
        directives.put("connect-src", new LinkedHashSet<>(List.of("'self'")));
        directives.put("frame-src", new LinkedHashSet<>(List.of("'self'")));
        directives.put("form-action", new LinkedHashSet<>(List.of("'self'")));
        directives.put("object-src", new LinkedHashSet<>(List.of("'none'")));
        directives.put("base-uri", new LinkedHashSet<>(List.of("'self'")));
        directives.put("frame-ancestors", new LinkedHashSet<>(List.of("'none'")));
        header = render();
    }

    /** Allows {@code origin} for a directive, e.g. {@code allow("form-action", "https://checkout.stripe.com")}. */
    public synchronized ContentSecurityPolicy allow(String directive, String origin) {
        directives.computeIfAbsent(directive, d -> new LinkedHashSet<>()).add(origin);
        header = render();
        return this;
    }

    public String header() {
        return header;
    }

    private String render() {
        return directives.entrySet().stream()
                .map(entry -> entry.getKey() + " " + String.join(" ", entry.getValue()))
                .collect(Collectors.joining("; "));
    }
}
