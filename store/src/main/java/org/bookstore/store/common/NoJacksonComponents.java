package org.bookstore.store.common;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Leaves out Spring Boot's Jackson module for {@code @JacksonComponent} beans. The store has none (a test keeps it so),
 * and the module looked for them when it was made by asking every bean of the application for the annotation, about
 * a tenth of a second of every start, for nothing. A serializer the store needs is registered on the mapper directly.
 */
@Configuration(proxyBeanMethods = false)
class NoJacksonComponents {

    static final String MODULE = "jsonComponentModule";

    @Bean
    static BeanFactoryPostProcessor withoutJacksonComponentModule() {
        return NoJacksonComponents::remove;
    }

    private static void remove(ConfigurableListableBeanFactory beans) {
        if (beans instanceof BeanDefinitionRegistry registry && registry.containsBeanDefinition(MODULE)) {
            registry.removeBeanDefinition(MODULE);
        }
    }
}
