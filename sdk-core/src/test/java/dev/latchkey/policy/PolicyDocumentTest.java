package dev.latchkey.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.credentials.WorkloadIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyDocumentTest {

  private static final AccessPolicy BUILT = PolicyFixtures.policy();
  private static final AccessPolicy LOADED = AccessPolicy.fromJson(example());

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.latchkey.policy.AccessPolicyTest#table")
  void loadedPolicyDecidesAsBuiltOne(String name, WorkloadIdentity identity, Action action,
      String resource, UnaryOperator<AccessRequest.Builder> extras, String expected) {
    AccessRequest request =
        extras.apply(PolicyFixtures.request(identity, action, resource)).build();

    assertThat(LOADED.evaluate(request)).isEqualTo(BUILT.evaluate(request));
  }

  @Test
  void loadsRolesAndBindingsInOrder() {
    assertThat(LOADED.roles()).extracting(Role::name).containsExactly("reports-reader",
        "reports-writer", "intl", "office-hours", "exports", "team-owned", "logs");
    assertThat(LOADED.bindings()).extracting(Binding::id).containsExactly("exporter",
        "prod-finance", "staging-finance", "intl", "janitor", "ops");
    assertThat(LOADED.roles().get(2).rules().get(0).resources())
        .extracting(ResourcePattern::toString).contains("s3://intl/star\\*key");
  }

  @Test
  void documentedExampleLoads() throws IOException {
    String markdown = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/policy.md"));
    int start = markdown.indexOf("```json\n") + "```json\n".length();
    String json = markdown.substring(start, markdown.indexOf("```", start));

    AccessPolicy policy = AccessPolicy.fromJson(json);

    AccessRequest night = PolicyFixtures.request(PolicyFixtures.EXPORTER, Action.WRITE,
            "azure://acct/drafts/star*names/a.txt")
        .identity(new WorkloadIdentity("billing-exporter", java.util.Map.of("env", "prod")))
        .size(10).contentType("text/plain").context("job", "nightly-export")
        .time(java.time.Instant.parse("2026-03-04T22:30:00Z")).build();
    assertThat(policy.evaluate(night).rule()).contains(new RuleRef("draft-writer", "write-drafts"));
    assertThat(policy.evaluate(night).isAllowed()).isTrue();
  }

  static java.util.stream.Stream<Arguments> badDocuments() {
    return java.util.stream.Stream.of(
        bad("not JSON", "{\"version\": 1,,}", "", 1, "not valid JSON"),
        bad("trailing content", "{\"version\":1,\"roles\":[],\"bindings\":[]} {}", "", 1,
            "content after the end of the document"),
        bad("empty document", "null", "", 1, "document is empty"),
        bad("unknown top-level field", "{\"version\":1,\"roles\":[],\"bindings\":[],\"extra\":1}",
            "/extra", 1, "unknown field 'extra'; the known fields are bindings, roles, version"),
        bad("duplicate field", "{\"version\":1,\"version\":1}", "", 1, "Duplicate field 'version'"),
        bad("missing version", "{\"roles\":[],\"bindings\":[]}", "", 1,
            "field 'version' is missing"),
        bad("wrong version", "{\"version\":2,\"roles\":[],\"bindings\":[]}", "/version", 1,
            "unsupported version 2"),
        bad("version as string", "{\"version\":\"1\",\"roles\":[],\"bindings\":[]}", "/version", 1,
            "wrong type: expected an integer"),
        bad("roles not an array", "{\"version\":1,\"roles\":{},\"bindings\":[]}", "/roles", 1,
            "wrong type: expected an array"),
        bad("unknown rule field", doc(rule("\"id\":\"r\",\"effect\":\"ALLOW\",\"actions\":[\"READ\"],"
            + "\"resources\":[\"s3://b/**\"],\"when\":[]")), "/roles/0/rules/0/when", 5,
            "unknown field 'when'"),
        bad("bad effect", doc(rule("\"id\":\"r\",\"effect\":\"allow\",\"actions\":[\"READ\"],"
            + "\"resources\":[\"s3://b/**\"]")), "/roles/0/rules/0/effect", 5,
            "invalid value 'allow'; use one of [ALLOW, DENY]"),
        bad("bad action", doc(rule("\"id\":\"r\",\"effect\":\"ALLOW\",\"actions\":[\"READ\",\"COPY\"],"
            + "\"resources\":[\"s3://b/**\"]")), "/roles/0/rules/0/actions/1", 5,
            "invalid value 'COPY'; use one of [READ, WRITE, DELETE, LIST]"),
        bad("action as string", doc(rule("\"id\":\"r\",\"effect\":\"ALLOW\",\"actions\":\"READ\","
            + "\"resources\":[\"s3://b/**\"]")), "/roles/0/rules/0/actions", 5,
            "wrong type: expected an array"),
        bad("empty actions", doc(rule("\"id\":\"r\",\"effect\":\"ALLOW\",\"actions\":[],"
            + "\"resources\":[\"s3://b/**\"]")), "/roles/0/rules/0/actions", 5,
            "field 'actions' is empty"),
        bad("missing resources", doc(rule("\"id\":\"r\",\"effect\":\"ALLOW\",\"actions\":[\"READ\"]")),
            "/roles/0/rules/0", 5, "field 'resources' is missing"),
        bad("bad pattern", doc(rule("\"id\":\"r\",\"effect\":\"ALLOW\",\"actions\":[\"READ\"],"
            + "\"resources\":[\"s3://b/**\",\"s3://b/a***\"]")), "/roles/0/rules/0/resources/1", 5,
            "3 '*' in a row"),
        bad("bad escape", doc(rule("\"id\":\"r\",\"effect\":\"ALLOW\",\"actions\":[\"READ\"],"
            + "\"resources\":[\"s3://b/a\\\\b\"]")), "/roles/0/rules/0/resources/0", 5,
            "escapes nothing"),
        bad("pattern without key", doc(rule("\"id\":\"r\",\"effect\":\"ALLOW\",\"actions\":[\"READ\"],"
            + "\"resources\":[\"s3://b\"]")), "/roles/0/rules/0/resources/0", 5, "no key part"),
        bad("bad rule id", doc(rule("\"id\":\"has space\",\"effect\":\"ALLOW\",\"actions\":[\"READ\"],"
            + "\"resources\":[\"s3://b/**\"]")), "/roles/0/rules/0/id", 5, "Invalid rule id"),
        bad("duplicate rule id", doc(rule(RULE_BODY) + "," + rule(RULE_BODY)),
            "/roles/0/rules/1/id", 6, "Duplicate rule id 'r'"),
        bad("two operators", doc(ruleWith("{\"attribute\":\"identity.env\",\"equals\":[\"a\"],"
            + "\"startsWith\":[\"b\"]}")), "/roles/0/rules/0/conditions/0", 5,
            "exactly one operator, found equals, startsWith"),
        bad("no operator", doc(ruleWith("{\"attribute\":\"identity.env\"}")),
            "/roles/0/rules/0/conditions/0", 5, "exactly one operator, found none"),
        bad("unknown operator", doc(ruleWith("{\"attribute\":\"identity.env\",\"like\":\"x\"}")),
            "/roles/0/rules/0/conditions/0/like", 5, "unknown field 'like'"),
        bad("unknown attribute", doc(ruleWith("{\"attribute\":\"resource.colour\",\"equals\":[\"x\"]}")),
            "/roles/0/rules/0/conditions/0/equals", 5, "Invalid attribute 'resource.colour'"),
        bad("number as string", doc(ruleWith("{\"attribute\":\"resource.size\",\"atMost\":\"10\"}")),
            "/roles/0/rules/0/conditions/0/atMost", 5, "wrong type: expected an integer"),
        bad("bad time", doc(ruleWith("{\"timeOfDay\":{\"from\":\"8am\",\"to\":\"18:00\","
            + "\"zone\":\"UTC\"}}")), "/roles/0/rules/0/conditions/0/timeOfDay/from", 5, "8am"),
        bad("bad zone", doc(ruleWith("{\"timeOfDay\":{\"from\":\"08:00\",\"to\":\"18:00\","
            + "\"zone\":\"Mars/Olympus\"}}")), "/roles/0/rules/0/conditions/0/timeOfDay/zone", 5,
            "Mars/Olympus"),
        bad("missing zone", doc(ruleWith("{\"weekdays\":{\"days\":[\"MONDAY\"]}}")),
            "/roles/0/rules/0/conditions/0/weekdays", 5, "field 'zone' is missing"),
        bad("bad weekday", doc(ruleWith("{\"weekdays\":{\"days\":[\"MONDAY\",\"Funday\"],"
            + "\"zone\":\"UTC\"}}")), "/roles/0/rules/0/conditions/0/weekdays/days/1", 5,
            "invalid value 'Funday'"),
        bad("attribute on time condition", doc(ruleWith("{\"attribute\":\"identity.env\","
            + "\"weekdays\":{\"days\":[\"MONDAY\"],\"zone\":\"UTC\"}}")),
            "/roles/0/rules/0/conditions/0/attribute", 5, "does not apply to weekdays"),
        bad("binding to unknown role", docWithBinding("{\"id\":\"b\",\"identities\":[\"x\"],"
            + "\"roles\":[\"nope\"]}"), "/bindings/0/roles/0", 7, "grants unknown role 'nope'"),
        bad("binding for everyone", docWithBinding("{\"id\":\"b\",\"roles\":[\"reader\"]}"),
            "/bindings/0", 7, "names no identities and no attributes"),
        bad("binding attribute without values", docWithBinding("{\"id\":\"b\",\"attributes\":"
            + "{\"env\":[]},\"roles\":[\"reader\"]}"), "/bindings/0/attributes/env", 7,
            "field 'env' is empty"),
        bad("binding attribute as string", docWithBinding("{\"id\":\"b\",\"attributes\":"
            + "{\"env\":\"prod\"},\"roles\":[\"reader\"]}"), "/bindings/0/attributes/env", 7,
            "wrong type: expected an array"),
        bad("null in array", docWithBinding("{\"id\":\"b\",\"identities\":[null],"
            + "\"roles\":[\"reader\"]}"), "/bindings/0/identities/0", 7, "null is not allowed"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badDocuments")
  void rejectsBadDocument(String name, String json, String pointer, int line, String message) {
    PolicyDocumentException error =
        catchThrowableOfType(PolicyDocumentException.class, () -> AccessPolicy.fromJson(json));

    assertThat(error).as("exception").isNotNull();
    assertThat(error.pointer()).isEqualTo(pointer);
    assertThat(error.line()).isEqualTo(line);
    assertThat(error.column()).isPositive();
    assertThat(error.getMessage()).contains(message)
        .startsWith("Invalid policy document at " + (pointer.isEmpty() ? "the document" : pointer)
            + " (line " + line + ", column ");
    assertThat(error.isRetryable()).isFalse();
  }

  @Test
  void pointsAtColumnOfBadValue() {
    String json = "{\"version\": 1,\n \"roles\": [],\n \"bindings\": [\n  {\"id\": \"b\","
        + " \"identities\": [\"a\"], \"roles\": [\"ghost\", 7]}]}";

    PolicyDocumentException error =
        catchThrowableOfType(PolicyDocumentException.class, () -> AccessPolicy.fromJson(json));

    assertThat(error.pointer()).isEqualTo("/bindings/0/roles/1");
    assertThat(error.line()).isEqualTo(4);
    assertThat(error.column()).isEqualTo(55);
    assertThat(error.getMessage()).contains("wrong type: expected a string");
  }

  private static final String RULE_BODY =
      "\"id\":\"r\",\"effect\":\"ALLOW\",\"actions\":[\"READ\"],\"resources\":[\"s3://b/**\"]";

  private static String rule(String body) {
    return "\n     {" + body + "}";
  }

  private static String ruleWith(String condition) {
    return rule(RULE_BODY + ",\"conditions\":[" + condition + "]");
  }

  /** Returns a document whose first role has these rules, starting on line 5. */
  private static String doc(String rules) {
    return "{\n \"version\": 1,\n \"roles\": [\n  {\"name\": \"reader\", \"rules\": [" + rules
        + "]}],\n \"bindings\": []\n}";
  }

  /** Returns a document with one valid role, "reader", and this binding on line 7. */
  private static String docWithBinding(String binding) {
    return "{\n \"version\": 1,\n \"roles\": [\n  {\"name\": \"reader\", \"rules\": [" + rule(RULE_BODY)
        + "]}],\n \"bindings\": [\n  " + binding + "\n ]\n}";
  }

  private static Arguments bad(String name, String json, String pointer, int line, String message) {
    return Arguments.of(name, json, pointer, line, message);
  }

  private static String example() {
    try (InputStream in = PolicyDocumentTest.class.getResourceAsStream("/policy/example-policy.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
