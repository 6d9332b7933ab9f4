package org.bookstore.store.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bookstore.store.support.Visitor.body;

import java.lang.reflect.Executable;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.bookstore.store.support.StoreTest;
import org.bookstore.store.support.Visitor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.authentication.builders.AuthenticationManagerBuilder;
import org.springframework.security.config.annotation.authentication.configuration.AuthenticationConfiguration;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.util.ClassUtils;

/**
 * Spring Security's eager making of {@code @EnableGlobalAuthentication} beans is left out, which is right only while
 * no class of the store configures the shared {@code AuthenticationManager} through an {@code AuthenticationManagerBuilder}.
 */
@StoreTest
class NoEagerGlobalAuthenticationTest {

    private static final String PASSWORD = "correct horse battery";

    @Autowired
    ApplicationContext context;
    @Autowired
    MockMvc mvc;

    @Test
    void noClassOfTheStoreConfiguresLogInThroughAnAuthenticationManagerBuilder() throws Exception {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false) {
            @Override
            protected boolean isCandidateComponent(org.springframework.beans.factory.annotation.AnnotatedBeanDefinition definition) {
                return true;
            }
        };
        scanner.addIncludeFilter((reader, factory) -> true);
        List<String> builders = new ArrayList<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents("org.bookstore")) {
            Class<?> type = ClassUtils.forName(candidate.getBeanClassName(), getClass().getClassLoader());
            Stream.concat(Stream.of(type.getDeclaredMethods()), Stream.of(type.getDeclaredConstructors()))
                    .filter(NoEagerGlobalAuthenticationTest::takesABuilder)
                    .forEach(found -> builders.add(type.getName() + "." + found.getName()));
        }

        assertThat(builders).as("configuring log-in through an AuthenticationManagerBuilder may be missed: remove "
                + "accounts/NoEagerGlobalAuthentication to have one").isEmpty();
        assertThat(context.containsBeanDefinition(NoEagerGlobalAuthentication.CONFIGURER)).isFalse();
    }

    @Test
    void logInStillFindsTheStoresAccountsAndPasswords() throws Exception {
        String email = "global-" + UUID.randomUUID() + "@example.com";
        new Visitor(mvc).register("Grace Hopper", email, PASSWORD);

        Visitor buyer = new Visitor(mvc);
        assertThat(body(buyer.logIn(email, PASSWORD))).contains("Grace Hopper");
        Visitor stranger = new Visitor(mvc);
        stranger.logIn(email, "wrong password");
        assertThat(stranger.redirectedTo()).isEqualTo("/login?error");
        assertThat(context.getBean(AuthenticationConfiguration.class).getAuthenticationManager()
                .authenticate(UsernamePasswordAuthenticationToken.unauthenticated(email, PASSWORD)).isAuthenticated()).isTrue();
    }

    private static boolean takesABuilder(Executable executable) {
        return Stream.of(executable.getParameterTypes()).anyMatch(AuthenticationManagerBuilder.class::isAssignableFrom);
    }
}
