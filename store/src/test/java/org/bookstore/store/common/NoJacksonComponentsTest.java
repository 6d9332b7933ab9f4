package org.bookstore.store.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.bookstore.store.support.StoreTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jackson.JacksonComponent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.result.MockMvcResultMatchers;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import tools.jackson.databind.json.JsonMapper;

/** Spring Boot's module for {@code @JacksonComponent} beans is left out, which is right only while the store has none. */
@StoreTest
class NoJacksonComponentsTest {

    @Autowired
    ApplicationContext context;
    @Autowired
    MockMvc mvc;

    @Test
    void theStoreHasNoJacksonComponentForTheLeftOutModuleToMiss() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(JacksonComponent.class));

        assertThat(scanner.findCandidateComponents("org.bookstore"))
                .as("a @JacksonComponent would not be registered: remove common/NoJacksonComponents to have one").isEmpty();
    }

    @Test
    void jsonIsWrittenAsBeforeWithoutTheModule() throws Exception {
        assertThat(context.containsBeanDefinition(NoJacksonComponents.MODULE)).isFalse();
        assertThat(context.getBean(JsonMapper.class).writeValueAsString(java.util.Map.of("books", 16))).isEqualTo("{\"books\":16}");
        mvc.perform(MockMvcRequestBuilders.get("/actuator/health"))
                .andExpect(MockMvcResultMatchers.status().isOk())
                .andExpect(MockMvcResultMatchers.jsonPath("$.status").value("UP"));
    }
}
