package org.bookstore.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The small pieces every resource shares: list pages, metadata merging, nullable and deleted objects. */
class PaginationAndMetadataTest {

    private static List<ObjectNode> items(int n) {
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ObjectNode o = Json.obj();
            o.put("id", "obj_" + i);
            out.add(o);
        }
        return out;
    }

    @Test
    void pagesByLimitAndCursors() {
        Params p = Params.parse("limit=2&starting_after=obj_1");
        ObjectNode page = Pagination.page(items(5), "/v1/things", p);
        assertThat(page.path("data").findValuesAsText("id")).containsExactly("obj_2", "obj_3");
        assertThat(page.path("has_more").asBoolean()).isTrue();
        assertThat(page.path("url").asText()).isEqualTo("/v1/things");

        ObjectNode before = Pagination.page(items(5), "/v1/things", Params.parse("limit=2&ending_before=obj_1"));
        assertThat(before.path("data").findValuesAsText("id")).containsExactly("obj_0");
        assertThat(before.path("has_more").asBoolean()).isFalse();

        ObjectNode embedded = Pagination.firstHundred(items(150), "/v1/things");
        assertThat(embedded.path("data").size()).isEqualTo(100);
        assertThat(embedded.path("has_more").asBoolean()).isTrue();
    }

    @Test
    void limitOutOfRangeAndUnknownCursorAreRejected() {
        assertThatThrownBy(() -> Pagination.limit(Params.parse("limit=101")))
                .isInstanceOfSatisfying(StripeError.class, e -> assertThat(e.getMessage())
                        .isEqualTo("This value must be greater than or equal to 1 and less than or equal to 100."));
        assertThat(Pagination.limit(Params.parse(""))).isEqualTo(10);
        assertThatThrownBy(() -> Pagination.page(items(2), "/v1/things", Params.parse("starting_after=obj_9")))
                .isInstanceOfSatisfying(StripeError.class,
                        e -> assertThat(e.getMessage()).isEqualTo("No such object: 'obj_9'"));
    }

    @Test
    void metadataMergesRemovesAndClears() {
        ObjectNode o = Json.obj();
        Metadata.merge(o, Params.parse("metadata[a]=1&metadata[b]=2").stringMap("metadata"));
        Metadata.merge(o, Params.parse("metadata[a]=&metadata[c]=3").stringMap("metadata"));
        assertThat(o.path("metadata").toString()).isEqualTo("{\"b\":\"2\",\"c\":\"3\"}");
        Metadata.merge(o, Json.obj());
        assertThat(o.path("metadata").size()).isZero();
        assertThatThrownBy(() -> Metadata.merge(o, Params.parse("metadata[" + "k".repeat(41) + "]=v")
                .stringMap("metadata"))).isInstanceOf(StripeError.class);
    }

    @Test
    void nullableFieldsAndDeletedStubs() {
        ObjectNode o = Json.obj();
        Json.putNullable(o, "a", null);
        Json.putNullable(o, "b", "x");
        assertThat(o.toString()).isEqualTo("{\"a\":null,\"b\":\"x\"}");
        assertThat(Json.deleted("cus_1", "customer").toString())
                .isEqualTo("{\"id\":\"cus_1\",\"object\":\"customer\",\"deleted\":true}");
    }
}
