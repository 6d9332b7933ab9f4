package org.bookstore.store.catalog;

import java.util.Arrays;
import java.util.Optional;

/** The orders a shopper can list books in; relevance only makes sense for a search. */
public enum Sorting {
    RELEVANCE("relevance", "Relevance", null, true),
    TITLE("title", "Title", "title", true),
    PRICE("price", "Price", "price_minor", true),
    NEWEST("newest", "Newest", "created_at", false);

    private final String param;
    private final String label;
    private final String column;
    private final boolean ascending;

    Sorting(String param, String label, String column, boolean ascending) {
        this.param = param;
        this.label = label;
        this.column = column;
        this.ascending = ascending;
    }

    public String param() {
        return param;
    }

    public String label() {
        return label;
    }

    String column() {
        return column;
    }

    boolean ascending() {
        return ascending;
    }

    static Optional<Sorting> fromParam(String param) {
        return Arrays.stream(values()).filter(sorting -> sorting.param.equals(param)).findFirst();
    }
}
