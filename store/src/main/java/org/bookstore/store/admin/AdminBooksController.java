package org.bookstore.store.admin;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.bookstore.store.accounts.BuyerPrincipal;
import org.bookstore.store.catalog.Book;
import org.bookstore.store.catalog.BookChanges;
import org.bookstore.store.catalog.Catalog;
import org.bookstore.store.common.NotFoundException;
import org.bookstore.store.orders.OrderRepository;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The catalogue in the back office: every book (archived ones too), a form to create or edit one with a cover upload,
 * archiving, and stock adjustments. A refused form is shown again with what was typed and a message per field; a
 * change is saved whole or not at all, and recorded in the audit trail.
 */
@Controller
class AdminBooksController {

    private final BookChanges changes;
    private final Catalog catalog;
    private final OrderRepository orders;
    private final TransactionTemplate transactions;
    private final AuditTrail audit;

    AdminBooksController(BookChanges changes, Catalog catalog, OrderRepository orders, TransactionTemplate transactions, AuditTrail audit) {
        this.changes = changes;
        this.catalog = catalog;
        this.orders = orders;
        this.transactions = transactions;
        this.audit = audit;
    }

    @GetMapping("/admin/books")
    String list(@RequestParam(name = "q", required = false) String q, Model model) {
        model.addAttribute("books", changes.list(q == null ? "" : q, 500));
        model.addAttribute("q", q == null ? "" : q.strip());
        return "admin/books";
    }

    @GetMapping("/admin/books/new")
    String newBook(@RequestParam(name = "tooLarge", required = false) String tooLarge, Model model) {
        model.addAttribute("draft", new BookChanges.Draft("", "", "", "", "USD", "0", ""));
        model.addAttribute("errors", tooLarge != null ? Map.of("cover", UploadLimits.MESSAGE) : Map.of());
        return form(model, null);
    }

    @PostMapping("/admin/books/new")
    String create(BookFields fields, @RequestParam(name = "cover", required = false) MultipartFile cover,
            @AuthenticationPrincipal BuyerPrincipal admin, Model model, RedirectAttributes redirect) {
        BookChanges.Draft draft = fields.draft();
        try {
            byte[] image = bytes(cover);
            long id = transactions.execute(status -> {
                long created = changes.create(changes.check(draft, null, true));
                if (image != null) {
                    changes.setCover(created, image);
                }
                return created;
            });
            Book book = catalog.findById(id).orElseThrow();
            audit.record(admin, "book_created", null, id, "Created \u201c" + book.title() + "\u201d at " + book.price().display() + ", "
                    + book.stock() + " in stock" + (image != null ? ", with an uploaded cover" : ""));
            redirect.addFlashAttribute("notice", "\u201c" + book.title() + "\u201d is in the catalogue.");
            return "redirect:/admin/books/" + id;
        } catch (BookChanges.Invalid invalid) {
            model.addAttribute("draft", draft);
            model.addAttribute("errors", invalid.errors());
            model.addAttribute("error", "The book was not saved: " + invalid.getMessage());
            return form(model, null);
        }
    }

    @GetMapping("/admin/books/{id}")
    String edit(@PathVariable String id, @RequestParam(name = "tooLarge", required = false) String tooLarge, Model model) {
        Book book = find(id);
        model.addAttribute("draft", new BookChanges.Draft(book.title(), book.author(), book.description(), book.price().amount().toPlainString(),
                book.price().currency().getCurrencyCode(), Integer.toString(book.stock()), book.slug()));
        model.addAttribute("errors", tooLarge != null ? Map.of("cover", UploadLimits.MESSAGE) : Map.of());
        if (tooLarge != null) {
            model.addAttribute("error", UploadLimits.MESSAGE);
        }
        return form(model, book);
    }

    @PostMapping("/admin/books/{id}")
    String update(@PathVariable String id, BookFields fields, @RequestParam(name = "cover", required = false) MultipartFile cover,
            @RequestParam(name = "removeCover", required = false) String removeCover, @AuthenticationPrincipal BuyerPrincipal admin,
            Model model, RedirectAttributes redirect) {
        Book book = find(id);
        BookChanges.Draft draft = fields.draft();
        try {
            byte[] image = bytes(cover);
            boolean currencyMayChange = !orders.everOrdered(book.id());
            int carts = transactions.execute(status -> {
                BookChanges.Checked checked = changes.check(draft, book.id(), false);
                Book before = changes.update(book.id(), checked, currencyMayChange);
                if (image != null) {
                    changes.setCover(book.id(), image);
                } else if ("on".equals(removeCover)) {
                    changes.removeCover(book.id());
                }
                // A paid order keeps what it paid; an open cart shows the new price, with a notice.
                return before.price().equals(checked.price()) ? 0 : orders.repriceOpenCarts(book.id(), checked.price());
            });
            Book after = catalog.findById(book.id()).orElseThrow();
            audit.record(admin, "book_edited", null, book.id(), "Edited: " + differences(book, after)
                    + (image != null ? "; uploaded a new cover" : "on".equals(removeCover) ? "; removed the uploaded cover" : "")
                    + (carts > 0 ? "; the new price shows in " + carts + (carts == 1 ? " open cart" : " open carts") : ""));
            redirect.addFlashAttribute("notice", "Saved." + (carts > 0 ? " " + carts + (carts == 1 ? " open cart shows" : " open carts show")
                    + " the new price, with a notice to the buyer." : ""));
            return "redirect:/admin/books/" + book.id();
        } catch (BookChanges.Invalid invalid) {
            model.addAttribute("draft", draft);
            model.addAttribute("errors", invalid.errors());
            model.addAttribute("error", "Nothing was saved: " + invalid.getMessage());
            return form(model, book);
        }
    }

    @PostMapping("/admin/books/{id}/archive")
    String archive(@PathVariable String id, @RequestParam(name = "archived", defaultValue = "true") boolean archived,
            @AuthenticationPrincipal BuyerPrincipal admin, RedirectAttributes redirect) {
        Book book = find(id);
        if (changes.archive(book.id(), archived)) {
            audit.record(admin, archived ? "book_archived" : "book_restored", null, book.id(),
                    archived ? "Archived: off the homepage, its page kept for past orders" : "Back on sale");
        }
        redirect.addFlashAttribute("notice", archived ? "\u201c" + book.title() + "\u201d is archived: it left the homepage and can no longer "
                + "be bought; its page stays for past orders." : "\u201c" + book.title() + "\u201d is on sale again.");
        return "redirect:/admin/books/" + book.id();
    }

    @PostMapping("/admin/books/{id}/stock")
    String stock(@PathVariable String id, @RequestParam(name = "change", required = false) String change,
            @RequestParam(name = "why", required = false) String why, @AuthenticationPrincipal BuyerPrincipal admin,
            RedirectAttributes redirect) {
        Book book = find(id);
        String text = change == null ? "" : change.strip().replace("+", "");
        String reason = why == null ? "" : why.strip();
        if (!text.matches("-?\\d{1,6}") || Integer.parseInt(text) == 0) {
            redirect.addFlashAttribute("error", "Enter the copies to add (such as 5) or to remove (such as -2). Nothing was changed.");
            return "redirect:/admin/books/" + book.id() + "#stock";
        }
        if (reason.length() > 200) {
            redirect.addFlashAttribute("error", "The reason can be at most 200 characters. Nothing was changed.");
            return "redirect:/admin/books/" + book.id() + "#stock";
        }
        try {
            int[] stock = transactions.execute(status -> changes.adjustStock(book.id(), Integer.parseInt(text)));
            audit.record(admin, "stock_adjusted", null, book.id(), "Stock " + stock[0] + " \u2192 " + stock[1] + " ("
                    + (Integer.parseInt(text) > 0 ? "+" : "") + text + ")" + (reason.isEmpty() ? "" : ": " + reason));
            redirect.addFlashAttribute("notice", "Stock is now " + stock[1] + ".");
        } catch (BookChanges.Invalid invalid) {
            redirect.addFlashAttribute("error", invalid.getMessage());
        }
        return "redirect:/admin/books/" + book.id() + "#stock";
    }

    /** The form's text fields, bound by name; the cover comes separately. */
    record BookFields(String title, String author, String description, String price, String currency, String stock, String slug) {
        BookChanges.Draft draft() {
            return new BookChanges.Draft(title, author, description, price, currency, stock, slug);
        }
    }

    private String form(Model model, Book book) {
        model.addAttribute("book", book);
        model.addAttribute("currencies", BookChanges.CURRENCIES.keySet());
        if (book != null) {
            model.addAttribute("audit", audit.forBook(book.id()));
            model.addAttribute("uploadedCover", changes.hasUploadedCover(book.id()));
            model.addAttribute("coverVersion", changes.coverVersion(book.id()));
            model.addAttribute("currencyLocked", orders.everOrdered(book.id()));
        }
        return "admin/book";
    }

    private static byte[] bytes(MultipartFile cover) {
        if (cover == null || cover.isEmpty()) {
            return null;
        }
        try {
            return cover.getBytes();
        } catch (IOException e) {
            throw new BookChanges.Invalid(Map.of("cover", "The cover could not be read; please upload it again."));
        }
    }

    private Book find(String id) {
        return (id.matches("\\d{1,18}") ? catalog.findById(Long.parseLong(id)) : Optional.<Book>empty())
                .orElseThrow(() -> new NotFoundException("There is no such book."));
    }

    private static String differences(Book before, Book after) {
        Map<String, String[]> fields = new LinkedHashMap<>();
        fields.put("title", new String[] {before.title(), after.title()});
        fields.put("author", new String[] {before.author(), after.author()});
        fields.put("price", new String[] {before.price().display(), after.price().display()});
        fields.put("address", new String[] {before.slug(), after.slug()});
        StringBuilder changed = new StringBuilder();
        fields.forEach((name, values) -> {
            if (!values[0].equals(values[1])) {
                changed.append(changed.length() > 0 ? ", " : "").append(name).append(" \u201c").append(values[0]).append("\u201d \u2192 \u201c")
                        .append(values[1]).append("\u201d");
            }
        });
        if (!before.description().equals(after.description())) {
            changed.append(changed.length() > 0 ? ", " : "").append("description");
        }
        return changed.length() == 0 ? "no field changed" : changed.toString();
    }
}
