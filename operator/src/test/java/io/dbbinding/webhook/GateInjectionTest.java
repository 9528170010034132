package io.dbbinding.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The admission decision on AdmissionReviews as the API server sends them. */
class GateInjectionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final GateInjection injection = new GateInjection(Set.of("shop", "other")::contains);

  private static String review(String operation, String namespace, String labels, String spec) {
    return """
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
          "uid":"705ab4f5-6393-11e8-b7cc-42010a800002",
          "kind":{"group":"","version":"v1","kind":"Pod"},
          "resource":{"group":"","version":"v1","resource":"pods"},
          "namespace":"%s","operation":"%s",
          "object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1","labels":%s},
                    "spec":%s}}}
        """
        .formatted(namespace, operation, labels, spec);
  }

  private static final String LABELLED = "{\"app\":\"web\",\"dbbinding.io/binding\":\"orders\"}";
  private static final String CONTAINERS = "\"containers\":[{\"name\":\"app\",\"image\":\"x\"}]";

  private JsonNode answer(String body) throws Exception {
    GateInjection.Outcome o = injection.review(body.getBytes(StandardCharsets.UTF_8));
    JsonNode review = JSON.readTree(o.body());
    assertThat(review.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
    assertThat(review.path("kind").asText()).isEqualTo("AdmissionReview");
    assertThat(review.path("response").path("allowed").asBoolean()).isTrue();
    return review.path("response");
  }

  private static JsonNode patch(JsonNode response) throws Exception {
    assertThat(response.path("patchType").asText()).isEqualTo("JSONPatch");
    return JSON.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
  }

  @Test
  void aLabelledPodWithoutGatesGetsExactlyTheGate() throws Exception {
    JsonNode r = answer(review("CREATE", "shop", LABELLED, "{" + CONTAINERS + "}"));
    assertThat(r.path("uid").asText()).isEqualTo("705ab4f5-6393-11e8-b7cc-42010a800002");
    assertThat(patch(r))
        .isEqualTo(
            JSON.readTree(
                """
                [{"op":"add","path":"/spec/readinessGates",
                  "value":[{"conditionType":"dbbinding.io/ready"}]}]
                """));
  }

  @Test
  void otherGatesStayAndOursIsAppended() throws Exception {
    JsonNode r =
        answer(
            review(
                "CREATE",
                "shop",
                LABELLED,
                "{"
                    + CONTAINERS
                    + ",\"readinessGates\":[{\"conditionType\":\"example.com/lb\"}]}"));
    assertThat(patch(r))
        .isEqualTo(
            JSON.readTree(
                """
                [{"op":"add","path":"/spec/readinessGates/-",
                  "value":{"conditionType":"dbbinding.io/ready"}}]
                """));
  }

  @Test
  void aPodThatDeclaresTheGateAlreadyIsNotPatched() throws Exception {
    JsonNode r =
        answer(
            review(
                "CREATE",
                "shop",
                LABELLED,
                "{"
                    + CONTAINERS
                    + ",\"readinessGates\":[{\"conditionType\":\"dbbinding.io/ready\"}]}"));
    assertThat(r.has("patch")).isFalse();
    assertThat(r.has("patchType")).isFalse();
  }

  @Test
  void podsWithoutTheLabelOrOutsideTheWatchedNamespacesOrNotCreatedAreLeftAlone() throws Exception {
    String spec = "{" + CONTAINERS + "}";
    assertThat(answer(review("CREATE", "shop", "{\"app\":\"web\"}", spec)).has("patch")).isFalse();
    assertThat(answer(review("CREATE", "shop", "null", spec)).has("patch")).isFalse();
    assertThat(
            answer(review("CREATE", "shop", "{\"dbbinding.io/binding\":\"\"}", spec)).has("patch"))
        .isFalse();
    // An operator that does not watch the namespace would never set the gate: no gate then.
    assertThat(answer(review("CREATE", "elsewhere", LABELLED, spec)).has("patch")).isFalse();
    assertThat(answer(review("UPDATE", "shop", LABELLED, spec)).has("patch")).isFalse();
    String deployment =
        review("CREATE", "shop", LABELLED, spec).replace("\"kind\":\"Pod\"}", "\"kind\":\"Foo\"}");
    assertThat(answer(deployment).has("patch")).isFalse();
  }

  @Test
  void malformedReviewsAreAllowedWithAMessage() throws Exception {
    for (String body :
        new String[] {
          "",
          "not json",
          "[]",
          "{}",
          "{\"request\":{}}",
          "{\"request\":{\"uid\":7}}",
          review("CREATE", "shop", LABELLED, "{\"readinessGates\":\"yes\"}"),
          review("CREATE", "shop", LABELLED, "null"),
        }) {
      GateInjection.Outcome o = injection.review(body.getBytes(StandardCharsets.UTF_8));
      assertThat(o.result()).as(body).isEqualTo(GateInjection.Result.MALFORMED);
      JsonNode r = JSON.readTree(o.body()).path("response");
      assertThat(r.path("allowed").asBoolean()).as(body).isTrue();
      assertThat(r.has("patch")).as(body).isFalse();
      assertThat(r.path("status").path("message").asText())
          .as(body)
          .startsWith("dbbinding webhook: ")
          .endsWith("; pod unchanged");
    }
  }
}
