package org.bookstore.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.function.Predicate;

/** One Stripe resource's behaviour, on the engine's shared store, clock and events; runs under the engine's lock. */
abstract class Resource {
    final Engine engine;
    final Engine.Host host;

    Resource(Engine engine) {
        this.engine = engine;
        this.host = engine.host;
    }

    long now() {
        return engine.now();
    }

    LinkedHashMap<String, ObjectNode> table(String name) {
        return engine.table(name);
    }

    void store(ObjectNode o) {
        engine.store(o);
    }

    ObjectNode get(String table, String id, String param) {
        return engine.get(table, id, param);
    }

    ObjectNode list(String table, String url, Params p, Predicate<ObjectNode> filter) {
        return engine.list(table, url, p, filter);
    }

    void later(Runnable r) {
        engine.later(r);
    }

    ObjectNode emit(String type, ObjectNode object, ObjectNode previous) {
        return engine.events.emit(type, object, previous);
    }

    /** Emits {@code type} when {@code obj} changed since {@code before}. */
    void updated(String type, ObjectNode obj, ObjectNode before) {
        engine.events.updated(type, obj, before);
    }
}
