package org.bookstore.store.notifications;

import java.util.Map;
import java.util.Set;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;
import org.springframework.stereotype.Component;

/**
 * Writes a mail's two parts from {@code templates/notifications/mail/NAME.html} and {@code NAME.txt}. Its own
 * template engine, apart from the pages': a mail is rendered on a background thread, with no request, and its links
 * are absolute.
 */
@Component
class Letters {

    /** Both parts of one mail. */
    record Letter(String text, String html) {
    }

    private static final String FOLDER = "templates/notifications/mail/";

    private final SpringTemplateEngine engine = new SpringTemplateEngine();
    private final MailSettings settings;

    Letters(MailSettings settings) {
        this.settings = settings;
        engine.addTemplateResolver(resolver(TemplateMode.HTML, "*.html", 1));
        engine.addTemplateResolver(resolver(TemplateMode.TEXT, "*.txt", 2));
    }

    Letter write(String name, Map<String, Object> variables) {
        Context context = new Context(java.util.Locale.UK);
        context.setVariables(variables);
        context.setVariable("shopName", settings.shopName());
        context.setVariable("shopAddress", settings.shopAddress());
        return new Letter(engine.process(name + ".txt", context).strip() + "\n", engine.process(name + ".html", context));
    }

    private static ClassLoaderTemplateResolver resolver(TemplateMode mode, String pattern, int order) {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver(Letters.class.getClassLoader());
        resolver.setPrefix(FOLDER);
        resolver.setResolvablePatterns(Set.of(pattern));
        resolver.setTemplateMode(mode);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        resolver.setCheckExistence(true);
        resolver.setOrder(order);
        return resolver;
    }
}
