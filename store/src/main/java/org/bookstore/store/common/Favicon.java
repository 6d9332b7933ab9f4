package org.bookstore.store.common;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The shop's icon at the address every browser asks for, which would otherwise be a logged 404 on every first visit. */
@RestController
class Favicon {

    private static final MediaType ICON = MediaType.valueOf("image/x-icon");

    private final byte[] icon;

    Favicon() throws IOException {
        try (InputStream in = new ClassPathResource("static/favicon.ico").getInputStream()) {
            icon = in.readAllBytes();
        }
    }

    @GetMapping("/favicon.ico")
    ResponseEntity<byte[]> icon() {
        return ResponseEntity.ok().contentType(ICON).cacheControl(CacheControl.maxAge(Duration.ofDays(7)).cachePublic()).body(icon);
    }
}
