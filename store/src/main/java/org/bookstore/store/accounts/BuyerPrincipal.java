package org.bookstore.store.accounts;

import java.util.List;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;

/** The logged-in buyer, as the rest of the store sees them: {@code @AuthenticationPrincipal BuyerPrincipal buyer}. */
public class BuyerPrincipal extends User {

    private static final long serialVersionUID = 1L;

    private final long accountId;
    private final String displayName;

    BuyerPrincipal(long accountId, String email, String displayName, String passwordHash, String role) {
        super(email, passwordHash, List.of(new SimpleGrantedAuthority("ROLE_" + role)));
        this.accountId = accountId;
        this.displayName = displayName;
    }

    public long accountId() {
        return accountId;
    }

    public String email() {
        return getUsername();
    }

    public String getDisplayName() {
        return displayName;
    }
}
