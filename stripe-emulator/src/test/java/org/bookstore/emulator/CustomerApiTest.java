package org.bookstore.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.StripeClient;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.model.Customer;
import com.stripe.model.StripeCollection;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.CustomerListParams;
import com.stripe.param.CustomerUpdateParams;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CustomerApiTest extends EmulatorTestBase {

    @Test
    void createRetrieveUpdateDelete() throws Exception {
        Customer c = stripe.v1().customers().create(CustomerCreateParams.builder().setEmail("ann@example.com")
                .setName("Ann").putMetadata("user_id", "42").build());
        assertThat(c.getId()).startsWith("cus_");
        assertThat(c.getObject()).isEqualTo("customer");
        assertThat(c.getLivemode()).isFalse();
        assertThat(c.getMetadata()).containsEntry("user_id", "42");
        assertThat(c.getLastResponse().headers().firstValue("Request-Id")).hasValueSatisfying(
                v -> assertThat(v).startsWith("req_"));

        Customer got = stripe.v1().customers().retrieve(c.getId());
        assertThat(got.getEmail()).isEqualTo("ann@example.com");

        Customer upd = stripe.v1().customers().update(c.getId(), CustomerUpdateParams.builder().setName("Ann B")
                .putMetadata("user_id", "").putMetadata("tier", "gold").build());
        assertThat(upd.getName()).isEqualTo("Ann B");
        assertThat(upd.getMetadata()).containsOnlyKeys("tier");

        Customer deleted = stripe.v1().customers().delete(c.getId());
        assertThat(deleted.getDeleted()).isTrue();
        Customer again = stripe.v1().customers().retrieve(c.getId());
        assertThat(again.getDeleted()).isTrue();
    }

    @Test
    void listPaginatesNewestFirst() throws Exception {
        String email = "page-" + System.nanoTime() + "@example.com";
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(stripe.v1().customers().create(CustomerCreateParams.builder().setEmail(email).build()).getId());
        }
        StripeCollection<Customer> first = stripe.v1().customers().list(CustomerListParams.builder().setEmail(email)
                .setLimit(2L).build());
        assertThat(first.getHasMore()).isTrue();
        assertThat(first.getUrl()).isEqualTo("/v1/customers");
        assertThat(first.getData()).extracting(Customer::getId).containsExactly(ids.get(4), ids.get(3));
        StripeCollection<Customer> second = stripe.v1().customers().list(CustomerListParams.builder()
                .setEmail(email).setLimit(2L).setStartingAfter(ids.get(3)).build());
        assertThat(second.getData()).extracting(Customer::getId).containsExactly(ids.get(2), ids.get(1));
        StripeCollection<Customer> back = stripe.v1().customers().list(CustomerListParams.builder()
                .setEmail(email).setLimit(2L).setEndingBefore(ids.get(2)).build());
        assertThat(back.getData()).extracting(Customer::getId).containsExactly(ids.get(4), ids.get(3));
        List<String> all = new ArrayList<>();
        first.autoPagingIterable().forEach(x -> all.add(x.getId()));
        assertThat(all).containsExactly(ids.get(4), ids.get(3), ids.get(2), ids.get(1), ids.get(0));
    }

    @Test
    void unknownIdIsResourceMissing() {
        assertThatThrownBy(() -> stripe.v1().customers().retrieve("cus_nope"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(404);
                    assertThat(e.getCode()).isEqualTo("resource_missing");
                    assertThat(e.getParam()).isEqualTo("id");
                    assertThat(e.getStripeError().getMessage()).isEqualTo("No such customer: 'cus_nope'");
                });
    }

    @Test
    void unknownParameterIsRejectedAsStripeDoes() {
        assertThatThrownBy(() -> stripe.v1().customers().create(CustomerCreateParams.builder()
                .putExtraParam("colour", "blue").build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(e.getCode()).isEqualTo("parameter_unknown");
                    assertThat(e.getParam()).isEqualTo("colour");
                    assertThat(e.getStripeError().getMessage()).isEqualTo("Received unknown parameter: colour");
                });
    }

    @Test
    void wrongOrMissingKeyIs401() throws Exception {
        StripeClient live = client("sk_live_abcdefgh1234");
        assertThatThrownBy(() -> live.v1().customers().list())
                .isInstanceOfSatisfying(AuthenticationException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(401);
                    assertThat(e.getStripeError().getMessage()).startsWith("Invalid API Key provided");
                });
        HttpResponse<String> r = get("/v1/customers");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("You did not provide an API key");
        assertThat(r.headers().firstValue("Request-Id")).isPresent();
    }

    @Test
    void publishableKeyCannotListCustomers() {
        StripeClient pk = client("pk_test_123");
        assertThatThrownBy(() -> pk.v1().customers().list())
                .isInstanceOf(com.stripe.exception.PermissionException.class)
                .hasMessageContaining("publishable API key");
    }

    @Test
    void perRequestKeyIsAccepted() throws Exception {
        Customer c = stripe.v1().customers().create(CustomerCreateParams.builder().build(),
                RequestOptions.builder().setApiKey("sk_test_other").build());
        assertThat(c.getId()).startsWith("cus_");
    }

    @Test
    void searchByEmailAndMetadata() throws Exception {
        String email = "search-" + System.nanoTime() + "@example.com";
        Customer a = stripe.v1().customers().create(CustomerCreateParams.builder().setEmail(email)
                .putMetadata("user_id", "u-1").build());
        stripe.v1().customers().create(CustomerCreateParams.builder().setEmail("other@example.com")
                .putMetadata("user_id", "u-2").build());
        var byEmail = stripe.v1().customers().search(com.stripe.param.CustomerSearchParams.builder()
                .setQuery("email:'" + email + "'").build());
        assertThat(byEmail.getData()).extracting(Customer::getId).containsExactly(a.getId());
        var byMeta = stripe.v1().customers().search(com.stripe.param.CustomerSearchParams.builder()
                .setQuery("metadata['user_id']:'u-1' AND email~'search-'").build());
        assertThat(byMeta.getData()).extracting(Customer::getId).containsExactly(a.getId());
        assertThat(byMeta.getHasMore()).isFalse();
    }

    @Test
    void metadataLimits() throws Exception {
        Customer c = stripe.v1().customers().create(CustomerCreateParams.builder().build());
        assertThatThrownBy(() -> stripe.v1().customers().update(c.getId(), CustomerUpdateParams.builder()
                .putMetadata("k", "x".repeat(501)).build()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getParam())
                        .isEqualTo("metadata[k]"));
        CustomerUpdateParams.Builder many = CustomerUpdateParams.builder();
        for (int i = 0; i < 51; i++) {
            many.putMetadata("k" + i, "v");
        }
        assertThatThrownBy(() -> stripe.v1().customers().update(c.getId(), many.build()))
                .isInstanceOf(InvalidRequestException.class);
        assertThat(stripe.v1().customers().retrieve(c.getId()).getMetadata()).isEmpty();
    }
}
