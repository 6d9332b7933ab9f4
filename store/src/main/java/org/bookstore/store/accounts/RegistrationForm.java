package org.bookstore.store.accounts;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

record RegistrationForm(
        @NotBlank(message = "Please enter your name.")
        @Size(max = 100, message = "Your name can be at most 100 characters.")
        String name,

        @NotBlank(message = "Please enter your email address.")
        @Email(message = "That does not look like an email address.")
        @Size(max = 254, message = "That email address is too long.")
        String email,

        @NotBlank(message = "Please choose a password.")
        @Size(min = 8, max = 64, message = "Your password must be 8 to 64 characters long.")
        String password) {

    RegistrationForm {
        name = name == null ? null : name.trim();
        email = email == null ? null : email.trim();
    }

    static RegistrationForm empty() {
        return new RegistrationForm("", "", "");
    }
}
