package org.bookstore.store.accounts;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Leaves out Spring Security's configurer that, when the shared {@code AuthenticationManager} is first built, makes
 * every bean whose class is annotated {@code @EnableGlobalAuthentication} first, so that their
 * {@code @Autowired configureGlobal(AuthenticationManagerBuilder)} methods have run by then. The store has no such
 * method (it gives the log-in its {@code UserDetailsService} and {@code PasswordEncoder} as beans, which Spring
 * Security finds by type; a test keeps it so), and finding those beans meant asking every bean of the application for
 * the annotation, about 70 ms of every start on two cores, for nothing.
 */
@Configuration(proxyBeanMethods = false)
class NoEagerGlobalAuthentication {

    static final String CONFIGURER = "enableGlobalAuthenticationAutowiredConfigurer";

    @Bean
    static BeanFactoryPostProcessor withoutEagerGlobalAuthentication() {
        return NoEagerGlobalAuthentication::remove;
    }

    private static void remove(ConfigurableListableBeanFactory beans) {
        if (beans instanceof BeanDefinitionRegistry registry && registry.containsBeanDefinition(CONFIGURER)) {
            registry.removeBeanDefinition(CONFIGURER);
        }
    }
}
