package org.bookstore.reference;

import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** One page rendered by Thymeleaf through Spring MVC: what any Spring Boot web application starts before its own work. */
@SpringBootApplication
@Controller
public class ReferenceApplication {

    public static void main(String[] args) {
        SpringApplication.run(ReferenceApplication.class, args);
    }

    @GetMapping("/")
    String home(Model model) {
        model.addAttribute("titles", List.of("The Pragmatic Programmer", "Working in Public", "Site Reliability Engineering"));
        return "home";
    }
}
