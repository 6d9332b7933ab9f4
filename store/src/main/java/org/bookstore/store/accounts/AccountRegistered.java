package org.bookstore.store.accounts;

/** A buyer registered. Published in the transaction that creates the account. */
public record AccountRegistered(long accountId) {
}
