package org.bookstore.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Form-encoded parameters with Stripe's bracket nesting ({@code a[b][0][c]=v}, {@code expand[]=x}), parsed into
 * maps, lists and strings.
 */
final class Params {
    /**
     * Bracket levels a parameter may have ({@code a[b][c]} has two). Stripe's deepest parameters use five
     * ({@code line_items[0][price_data][product_data][metadata][k]}); every level costs a map and a recursion.
     */
    static final int MAX_DEPTH = 8;
    /** Stripe's limit for most string parameters (its API reference's maxLength). */
    static final int MAX_STRING = 5000;
    /** Dispute evidence texts may be longer, as at Stripe. */
    static final int MAX_EVIDENCE_STRING = 20_000;

    final Map<String, Object> root;
    /** Every raw pair in order, for idempotency fingerprints. */
    final List<String[]> pairs;

    private Params(Map<String, Object> root, List<String[]> pairs) {
        this.root = root;
        this.pairs = pairs;
    }

    static Params empty() {
        return new Params(new LinkedHashMap<>(), new ArrayList<>());
    }

    static Params parse(String... encoded) {
        List<String[]> pairs = new ArrayList<>();
        Map<String, Object> root = new LinkedHashMap<>();
        for (String enc : encoded) {
            if (enc == null || enc.isEmpty()) {
                continue;
            }
            for (String part : enc.split("&")) {
                if (part.isEmpty()) {
                    continue;
                }
                int eq = part.indexOf('=');
                String k = decode(eq < 0 ? part : part.substring(0, eq));
                String v = eq < 0 ? "" : decode(part.substring(eq + 1));
                maxLength(v, k.startsWith("evidence[") ? MAX_EVIDENCE_STRING : MAX_STRING, k);
                pairs.add(new String[] {k, v});
                put(root, k, v);
            }
        }
        return new Params(normalize(root), pairs);
    }

    static Params of(Map<String, Object> m) {
        return new Params(m, new ArrayList<>());
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw StripeError.invalid("Invalid request: malformed form encoding", null);
        }
    }

    /**
     * Stripe's error for a string over {@code max} characters, which shows its first and last ten characters:
     * {@code Invalid string: aaaaaaaaaa...aaaaaaaaaa; must be at most 5000 characters}.
     */
    static void maxLength(String value, int max, String param) {
        if (value != null && value.length() > max) {
            String shown = value.length() <= 20 ? value
                    : value.substring(0, 10) + "..." + value.substring(value.length() - 10);
            throw StripeError.invalid("Invalid string: " + shown + "; must be at most " + max + " characters",
                    shortened(param));
        }
    }

    /** A parameter name fit to quote in an error, however long the one sent. */
    private static String shortened(String param) {
        return param.length() <= 100 ? param : param.substring(0, 100) + "...";
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> root, String key, String value) {
        List<String> segs = new ArrayList<>();
        int b = key.indexOf('[');
        if (b < 0) {
            segs.add(key);
        } else {
            segs.add(key.substring(0, b));
            int i = b;
            while (i < key.length() && key.charAt(i) == '[') {
                int close = key.indexOf(']', i);
                if (close < 0) {
                    break;
                }
                if (segs.size() > MAX_DEPTH) {
                    // checked while splitting: 20,000 levels would otherwise build 20,000 maps, then overflow the stack
                    throw StripeError.invalid("Invalid parameter " + shortened(key) + ": parameters can be nested at "
                            + "most " + MAX_DEPTH + " levels deep.", shortened(key));
                }
                segs.add(key.substring(i + 1, close));
                i = close + 1;
            }
        }
        Map<String, Object> cur = root;
        for (int i = 0; i < segs.size(); i++) {
            String s = segs.get(i);
            if (s.isEmpty()) {
                s = "\u0000" + cur.size(); // appended list element
            }
            boolean last = i == segs.size() - 1;
            if (last) {
                cur.put(s, value);
            } else {
                Object next = cur.get(s);
                if (!(next instanceof Map)) {
                    next = new LinkedHashMap<String, Object>();
                    cur.put(s, next);
                }
                cur = (Map<String, Object>) next;
            }
        }
    }

    /** Maps whose keys are all indexes become lists. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> normalize(Map<String, Object> m) {
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (e.getValue() instanceof Map) {
                Map<String, Object> child = normalize((Map<String, Object>) e.getValue());
                e.setValue(asListIfIndexed(child));
            }
        }
        return m;
    }

    private static Object asListIfIndexed(Map<String, Object> m) {
        if (m.isEmpty()) {
            return m;
        }
        TreeMap<Integer, Object> idx = new TreeMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String k = e.getKey().startsWith("\u0000") ? e.getKey().substring(1) : e.getKey();
            if (!k.matches("\\d{1,6}")) {
                return m;
            }
            idx.put(Integer.parseInt(k), e.getValue());
        }
        return new ArrayList<>(idx.values());
    }

    // ---- access ----

    boolean has(String k) {
        return root.containsKey(k);
    }

    String str(String k) {
        return str(root, k);
    }

    static String str(Map<String, Object> m, String k) {
        Object v = m == null ? null : m.get(k);
        if (v == null) {
            return null;
        }
        if (v instanceof String) {
            return (String) v;
        }
        throw StripeError.invalid("Invalid string: " + k, k);
    }

    String req(String k) {
        String v = str(k);
        if (v == null || v.isEmpty()) {
            throw StripeError.missing(k);
        }
        return v;
    }

    Long lng(String k) {
        return lng(root, k, k);
    }

    static Long lng(Map<String, Object> m, String k, String param) {
        String s = str(m, k);
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw StripeError.invalid("parameter_invalid_integer", "Invalid integer: " + s, param);
        }
    }

    long reqLong(String k) {
        Long v = lng(k);
        if (v == null) {
            throw StripeError.missing(k);
        }
        return v;
    }

    Boolean bool(String k) {
        return bool(root, k, k);
    }

    static Boolean bool(Map<String, Object> m, String k, String param) {
        String s = str(m, k);
        if (s == null || s.isEmpty()) {
            return null;
        }
        if (s.equals("true")) {
            return true;
        }
        if (s.equals("false")) {
            return false;
        }
        throw StripeError.invalid("Invalid boolean: " + s + ". Must be one of: true, false.", param);
    }

    Map<String, Object> map(String k) {
        return map(root, k);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> m, String k) {
        Object v = m == null ? null : m.get(k);
        if (v instanceof Map) {
            return (Map<String, Object>) v;
        }
        if (v instanceof List) {
            Map<String, Object> out = new LinkedHashMap<>();
            List<Object> l = (List<Object>) v;
            for (int i = 0; i < l.size(); i++) {
                out.put(Integer.toString(i), l.get(i));
            }
            return out;
        }
        if (v instanceof String && ((String) v).isEmpty()) {
            return new LinkedHashMap<>();
        }
        if (v != null) {
            throw StripeError.invalid("Invalid object", k);
        }
        return null;
    }

    List<Object> list(String k) {
        return list(root, k);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> m, String k) {
        Object v = m == null ? null : m.get(k);
        if (v == null) {
            return null;
        }
        if (v instanceof List) {
            return (List<Object>) v;
        }
        if (v instanceof Map && ((Map<String, Object>) v).isEmpty()) {
            return new ArrayList<>();
        }
        if (v instanceof String && ((String) v).isEmpty()) {
            return new ArrayList<>();
        }
        if (v instanceof String) {
            List<Object> one = new ArrayList<>();
            one.add(v);
            return one;
        }
        throw StripeError.invalid("Invalid array", k);
    }

    List<String> strings(String k) {
        List<Object> l = list(k);
        List<String> out = new ArrayList<>();
        if (l != null) {
            for (Object o : l) {
                if (!(o instanceof String)) {
                    throw StripeError.invalid("Invalid array", k);
                }
                out.add((String) o);
            }
        }
        return out;
    }

    /** Metadata-style map of strings; null when absent. Empty values delete keys when merged. */
    static ObjectNode stringMap(Map<String, Object> m, String k) {
        Map<String, Object> mm = map(m, k);
        if (mm == null) {
            return null;
        }
        ObjectNode out = Json.obj();
        for (Map.Entry<String, Object> e : mm.entrySet()) {
            if (!(e.getValue() instanceof String)) {
                throw StripeError.invalid("Invalid value for " + k + "[" + e.getKey() + "]", k + "[" + e.getKey() + "]");
            }
            out.put(e.getKey(), (String) e.getValue());
        }
        return out;
    }

    ObjectNode stringMap(String k) {
        return stringMap(root, k);
    }

    /**
     * Rejects parameters outside the allowed specs. A spec is a bracket path: {@code metadata[*]} allows any key,
     * {@code line_items[][price]} allows list elements, {@code custom_fields[**]} allows anything below.
     */
    void allow(String... specs) {
        List<String[]> parsed = new ArrayList<>();
        for (String s : specs) {
            parsed.add(segments(s));
        }
        check(root, new ArrayList<>(), new ArrayList<>(), parsed);
    }

    @SuppressWarnings("unchecked")
    private static void check(Object node, List<String> norm, List<String> display, List<String[]> specs) {
        if (node instanceof Map) {
            Map<String, Object> m = (Map<String, Object>) node;
            if (m.isEmpty() && !norm.isEmpty()) {
                return;
            }
            for (Map.Entry<String, Object> e : m.entrySet()) {
                norm.add(e.getKey());
                display.add(e.getKey());
                verify(norm, display, specs);
                check(e.getValue(), norm, display, specs);
                norm.remove(norm.size() - 1);
                display.remove(display.size() - 1);
            }
        } else if (node instanceof List) {
            List<Object> l = (List<Object>) node;
            for (int i = 0; i < l.size(); i++) {
                norm.add("");
                display.add(Integer.toString(i));
                verify(norm, display, specs);
                check(l.get(i), norm, display, specs);
                norm.remove(norm.size() - 1);
                display.remove(display.size() - 1);
            }
        }
    }

    private static void verify(List<String> norm, List<String> display, List<String[]> specs) {
        for (String[] s : specs) {
            boolean deep = s.length > 0 && s[s.length - 1].equals("**");
            if (s.length < norm.size() && !deep) {
                continue;
            }
            boolean ok = true;
            for (int i = 0; i < norm.size() && ok; i++) {
                if (deep && i >= s.length - 1) {
                    break;
                }
                String p = s[i];
                String n = norm.get(i);
                ok = p.equals("*") || p.equals(n) || (p.isEmpty() && n.matches("\\d+"));
            }
            if (ok) {
                return;
            }
        }
        StringBuilder name = new StringBuilder(display.get(0));
        for (int i = 1; i < display.size(); i++) {
            name.append('[').append(display.get(i)).append(']');
        }
        throw StripeError.unknown(name.toString());
    }

    private static String[] segments(String spec) {
        List<String> segs = new ArrayList<>();
        int b = spec.indexOf('[');
        if (b < 0) {
            return new String[] {spec};
        }
        segs.add(spec.substring(0, b));
        int i = b;
        while (i < spec.length()) {
            int close = spec.indexOf(']', i);
            segs.add(spec.substring(i + 1, close));
            i = close + 1;
        }
        return segs.toArray(new String[0]);
    }

    /** A canonical form of the parameters, for idempotency comparisons. */
    String fingerprint() {
        List<String> items = new ArrayList<>();
        for (String[] p : pairs) {
            items.add(p[0].replaceAll("\\[\\]", "[]") + "=" + p[1]);
        }
        items.sort(null);
        return String.join("&", items);
    }

    /** Stripe's error for a value outside an enumeration: "Invalid mode: must be one of payment, setup, or subscription". */
    static void checkEnum(String v, String param, String... allowed) {
        for (String a : allowed) {
            if (a.equals(v)) {
                return;
            }
        }
        String list = allowed.length == 1 ? allowed[0] : String.join(", ",
                java.util.Arrays.asList(allowed).subList(0, allowed.length - 1)) + ", or " + allowed[allowed.length - 1];
        throw StripeError.invalid("Invalid " + param + ": must be one of " + list, param);
    }

    /** A decimal parameter ({@code percent_off}, {@code percentage}), or null when absent. */
    static java.math.BigDecimal decimal(Map<String, Object> m, String k, String param) {
        String s = str(m, k);
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return new java.math.BigDecimal(s.trim());
        } catch (NumberFormatException e) {
            throw StripeError.invalid("parameter_invalid_float", "Invalid decimal: " + s, param);
        }
    }
}
