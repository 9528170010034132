package io.dbbinding.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dbbinding.readiness.ReadinessGate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Predicate;

/**
 * The admission decision for one pod: an AdmissionReview v1 in, an AdmissionReview v1 out. A
 * labelled pod that does not declare the {@code dbbinding.io/ready} gate gets it with a JSON patch
 * that adds exactly that gate; everything else is allowed unchanged. The answer is always
 * "allowed": this webhook only ever adds a gate, and it must never be the reason a pod cannot be
 * created, not even for a review it cannot read.
 */
final class GateInjection {
  static final String API_VERSION = "admission.k8s.io/v1";

  /** What the webhook did with one review, for the metrics and the log. */
  enum Result {
    INJECTED,
    SKIPPED,
    MALFORMED
  }

  /** The response body and what it says. */
  record Outcome(byte[] body, Result result, String message) {}

  private final ObjectMapper json = new ObjectMapper();
  private final Predicate<String> watchedNamespace;

  /**
   * @param watchedNamespace the namespaces whose pods the operator gates: a gate nobody would ever
   *     set would keep a pod unready forever
   */
  GateInjection(Predicate<String> watchedNamespace) {
    this.watchedNamespace = watchedNamespace;
  }

  Outcome review(byte[] body) {
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (IOException e) {
      return malformed("", "the body is not JSON");
    }
    if (root == null || !root.isObject()) {
      return malformed("", "the body is not an AdmissionReview object");
    }
    JsonNode request = root.get("request");
    if (request == null || !request.isObject()) {
      return malformed("", "the AdmissionReview has no request");
    }
    JsonNode uidNode = request.get("uid");
    if (uidNode == null || !uidNode.isTextual() || uidNode.asText().isEmpty()) {
      return malformed("", "the AdmissionReview request has no uid");
    }
    String uid = uidNode.asText();
    JsonNode kind = request.path("kind");
    if (!"".equals(kind.path("group").asText(""))
        || !"Pod".equals(kind.path("kind").asText(""))
        || !request.path("subResource").asText("").isEmpty()) {
      return skipped(uid, "not a Pod");
    }
    if (!"CREATE".equals(request.path("operation").asText(""))) {
      return skipped(uid, "not a CREATE");
    }
    JsonNode pod = request.path("object");
    if (!pod.isObject()) {
      return malformed(uid, "the request has no object");
    }
    String binding =
        pod.path("metadata").path("labels").path(ReadinessGate.BINDING_LABEL).asText("");
    if (binding.isEmpty()) {
      return skipped(uid, "the pod has no " + ReadinessGate.BINDING_LABEL + " label");
    }
    String namespace = request.path("namespace").asText("");
    if (!watchedNamespace.test(namespace)) {
      return skipped(uid, "namespace " + namespace + " is not watched by this operator");
    }
    JsonNode spec = pod.get("spec");
    if (spec == null || !spec.isObject()) {
      return malformed(uid, "the pod has no spec");
    }
    JsonNode gates = spec.get("readinessGates");
    ObjectNode gate = json.createObjectNode().put("conditionType", ReadinessGate.CONDITION_TYPE);
    ObjectNode op = json.createObjectNode().put("op", "add");
    if (gates == null || gates.isNull()) {
      op.put("path", "/spec/readinessGates").set("value", json.createArrayNode().add(gate));
    } else if (gates.isArray()) {
      for (JsonNode g : gates) {
        if (ReadinessGate.CONDITION_TYPE.equals(g.path("conditionType").asText(""))) {
          return skipped(uid, "the pod already declares the gate");
        }
      }
      op.put("path", "/spec/readinessGates/-").set("value", gate);
    } else {
      return malformed(uid, "spec.readinessGates is not a list");
    }
    ArrayNode patch = json.createArrayNode().add(op);
    ObjectNode response = response(uid);
    response.put("patchType", "JSONPatch");
    response.put("patch", Base64.getEncoder().encodeToString(bytes(patch)));
    return new Outcome(
        bytes(review(response)), Result.INJECTED, "gate added for binding " + binding);
  }

  private Outcome skipped(String uid, String why) {
    return new Outcome(bytes(review(response(uid))), Result.SKIPPED, why);
  }

  /** Allowed, with the reason in the status message: a bad review never blocks a pod. */
  Outcome malformed(String uid, String why) {
    ObjectNode response = response(uid);
    response.putObject("status").put("message", "dbbinding webhook: " + why + "; pod unchanged");
    return new Outcome(bytes(review(response)), Result.MALFORMED, why);
  }

  private ObjectNode response(String uid) {
    ObjectNode r = json.createObjectNode();
    r.put("uid", uid);
    r.put("allowed", true);
    return r;
  }

  private ObjectNode review(ObjectNode response) {
    ObjectNode review = json.createObjectNode();
    review.put("apiVersion", API_VERSION);
    review.put("kind", "AdmissionReview");
    review.set("response", response);
    return review;
  }

  private byte[] bytes(JsonNode node) {
    try {
      return json.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
