package dev.latchkey.policy.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.credentials.WorkloadIdentity;
import dev.latchkey.policy.AccessPolicy;
import dev.latchkey.policy.Action;
import dev.latchkey.policy.AwsSessionPolicy;
import dev.latchkey.policy.Effect;
import dev.latchkey.policy.PolicyNotExpressibleException;
import dev.latchkey.policy.ResourcePattern;
import dev.latchkey.policy.internal.IdentityRules.Resolved;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compiles the S3 part of what an identity may do into an IAM session policy of Allow statements.
 *
 * <p>Object actions become {@code s3:GetObject}, {@code s3:PutObject} and {@code s3:DeleteObject}
 * on {@code arn:PARTITION:s3:::bucket/key} or {@code .../prefix*}; {@link Action#LIST} becomes
 * {@code s3:ListBucket} on the bucket with a {@code StringLike} condition on {@code s3:prefix}.
 * Resources that another resource with the same actions covers are dropped, and resources with the
 * same actions share one statement.
 *
 * <p>Only patterns IAM matches exactly are accepted: a literal key, or a literal prefix followed by
 * {@code **}. IAM's {@code *} also matches {@code /}, so a pattern with a single-segment {@code *}
 * in the key is rejected rather than widened. A literal {@code *}, {@code ?} or {@code $} in a key
 * is written as the IAM special characters {@code ${*}}, {@code ${?}} and {@code ${$}}, and
 * characters outside ASCII as JSON {@code \}{@code uXXXX} escapes, because STS accepts only
 * characters from U+0020 to U+00FF, tab, line feed and carriage return.
 *
 * <p>NOTE: IAM accepts Deny statements in session policies, but this compiler writes none. A deny
 * rule that may remove part of an allowed resource is reported as not expressible, judged by
 * literal prefixes, which can reject a deny that would not actually overlap.
 */
public final class AwsSessionPolicyCompiler {

  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
  private static final String TARGET = "an AWS session policy";

  private final String partition;
  private final List<Grant> grants = new ArrayList<>();

  private AwsSessionPolicyCompiler(String partition) {
    this.partition = partition;
  }

  /**
   * Compiles the session policy.
   *
   * @throws PolicyNotExpressibleException if a rule cannot be written exactly, a deny rule overlaps
   *     an allowed resource, nothing on S3 is allowed, or the result exceeds 2,048 characters
   */
  public static AwsSessionPolicy compile(
      AccessPolicy policy, WorkloadIdentity identity, String partition) {
    AwsSessionPolicyCompiler compiler = new AwsSessionPolicyCompiler(partition);
    List<Resolved> rules = IdentityRules.resolve(policy, identity);
    for (Resolved rule : rules) {
      if (rule.effect() == Effect.ALLOW && !rule.patterns("s3").isEmpty()) {
        compiler.addAllow(rule);
      }
    }
    for (Resolved rule : rules) {
      if (rule.effect() == Effect.DENY) {
        compiler.checkDeny(rule);
      }
    }
    if (compiler.grants.isEmpty()) {
      throw new PolicyNotExpressibleException("The policy allows identity '" + identity.name()
          + "' nothing on S3, and a session policy without statements is invalid; bind a role"
          + " with s3:// rules to the identity");
    }
    return compiler.write();
  }

  private void addAllow(Resolved rule) {
    if (rule.isConditional()) {
      throw rule.notExpressible(TARGET);
    }
    for (ResourcePattern pattern : rule.patterns("s3")) {
      Grant.Shape shape = shapeOf(rule, pattern);
      for (Action action : rule.rule().actions()) {
        grants.add(new Grant(rule, action, pattern, shape));
      }
    }
  }

  private Grant.Shape shapeOf(Resolved rule, ResourcePattern pattern) {
    Glob bucket = Glob.compile(pattern.containerPattern(), false);
    Glob key = Glob.compile(pattern.keyPattern(), true);
    boolean wholeBucket = key.isPrefixThenDoubleStar() && key.literalPrefix().isEmpty();
    if (!bucket.isLiteral() && !(bucket.isPrefixThenStar() && wholeBucket)) {
      throw notExact(rule, pattern, "a bucket wildcard is exact in IAM only as a trailing * with"
          + " the key pattern **, such as s3://logs-*/**");
    }
    if (key.isLiteral()) {
      return new Grant.Shape(pattern.containerPattern(), key.literalPrefix(), false);
    }
    if (key.isPrefixThenDoubleStar()) {
      return new Grant.Shape(pattern.containerPattern(), key.literalPrefix(), true);
    }
    throw notExact(rule, pattern, "IAM's * also matches '/', so only a literal key or a literal"
        + " prefix followed by ** is exact; write ** if deeper keys may be reached");
  }

  private void checkDeny(Resolved deny) {
    for (ResourcePattern pattern : deny.patterns("s3")) {
      Glob key = Glob.compile(pattern.keyPattern(), true);
      for (Grant grant : grants) {
        if (deny.covers(grant.action) && mayOverlap(pattern, key, grant)) {
          throw new PolicyNotExpressibleException("Deny rule " + deny.ref() + " may remove part of"
              + " what rule " + grant.rule.ref() + " allows (" + grant.action + " on "
              + grant.pattern + "), and the compiled session policy holds only Allow statements;"
              + " narrow the allow rule's patterns so they exclude what " + pattern + " denies");
        }
      }
    }
  }

  /** Returns whether the deny pattern may match a resource the grant allows, judged by prefixes. */
  private static boolean mayOverlap(ResourcePattern deny, Glob denyKey, Grant grant) {
    Glob denyBucket = Glob.compile(deny.containerPattern(), false);
    Glob grantBucket = Glob.compile(grant.pattern.containerPattern(), false);
    if (!prefixesCompatible(denyBucket, grantBucket)) {
      return false;
    }
    if (!grant.shape.prefix()) {
      return denyKey.matches(grant.shape.key());
    }
    String denyPrefix = denyKey.literalPrefix();
    return denyPrefix.startsWith(grant.shape.key()) || grant.shape.key().startsWith(denyPrefix);
  }

  private static boolean prefixesCompatible(Glob first, Glob second) {
    if (first.isLiteral() && second.isLiteral()) {
      return first.literalPrefix().equals(second.literalPrefix());
    }
    String a = first.literalPrefix();
    String b = second.literalPrefix();
    return a.startsWith(b) || b.startsWith(a);
  }

  private AwsSessionPolicy write() {
    ArrayNode statements = JSON.createArrayNode();
    objectStatements().forEach((actions, resources) ->
        statements.add(statement(actions, resources, null)));
    listStatements().forEach((prefixes, buckets) ->
        statements.add(statement(List.of("s3:ListBucket"), buckets, prefixes)));
    ObjectNode document = JSON.createObjectNode();
    document.put("Version", "2012-10-17");
    document.set("Statement", statements);
    String json = serialize(document);
    if (json.length() > AwsSessionPolicy.MAX_LENGTH) {
      throw new PolicyNotExpressibleException("The compiled session policy has " + json.length()
          + " characters, and STS accepts at most " + AwsSessionPolicy.MAX_LENGTH + "; use fewer,"
          + " broader prefixes for this identity's S3 rules");
    }
    return new AwsSessionPolicy(json);
  }

  /** Returns object resource ARNs grouped by their sorted set of IAM actions. */
  private Map<List<String>, Collection<String>> objectStatements() {
    Map<String, EnumSet<Action>> byResource = new TreeMap<>();
    Map<String, Grant.Shape> shapes = new TreeMap<>();
    for (Grant grant : grants) {
      if (grant.action != Action.LIST) {
        String arn = objectArn(grant.shape);
        byResource.computeIfAbsent(arn, k -> EnumSet.noneOf(Action.class)).add(grant.action);
        shapes.put(arn, grant.shape);
      }
    }
    dropCovered(byResource, shapes);
    Map<List<String>, Collection<String>> statements = new LinkedHashMap<>();
    byResource.forEach((arn, actions) -> {
      if (!actions.isEmpty()) {
        statements.computeIfAbsent(iamActions(actions), k -> new TreeSet<>()).add(arn);
      }
    });
    return statements;
  }

  /** Removes from each resource the actions that a broader prefix in the same bucket grants. */
  private static void dropCovered(Map<String, EnumSet<Action>> byResource, Map<String, Grant.Shape> shapes) {
    for (Map.Entry<String, EnumSet<Action>> narrow : byResource.entrySet()) {
      Grant.Shape narrowShape = shapes.get(narrow.getKey());
      for (Map.Entry<String, EnumSet<Action>> broad : byResource.entrySet()) {
        Grant.Shape broadShape = shapes.get(broad.getKey());
        if (narrow != broad && broadShape.covers(narrowShape)) {
          narrow.getValue().removeAll(broad.getValue());
        }
      }
    }
  }

  /** Returns bucket ARNs grouped by their set of allowed listing prefixes; empty means any prefix. */
  private Map<Set<String>, Collection<String>> listStatements() {
    Map<String, List<Grant.Shape>> byBucket = new TreeMap<>();
    for (Grant grant : grants) {
      if (grant.action == Action.LIST) {
        byBucket.computeIfAbsent(grant.shape.bucket(), k -> new ArrayList<>()).add(grant.shape);
      }
    }
    Map<Set<String>, Collection<String>> statements = new LinkedHashMap<>();
    byBucket.forEach((bucket, shapes) -> statements
        .computeIfAbsent(prefixValues(shapes), k -> new TreeSet<>())
        .add("arn:" + partition + ":s3:::" + bucket));
    return statements;
  }

  private static Set<String> prefixValues(List<Grant.Shape> shapes) {
    Set<String> values = new TreeSet<>();
    for (Grant.Shape shape : shapes) {
      if (shape.prefix() && shape.key().isEmpty()) {
        return Set.of();
      }
      boolean covered = shapes.stream().anyMatch(other -> other != shape && other.covers(shape)
          && !(other.key().equals(shape.key()) && other.prefix() == shape.prefix()));
      if (!covered) {
        values.add(iamText(shape.key()) + (shape.prefix() ? "*" : ""));
      }
    }
    return values;
  }

  private ObjectNode statement(List<String> actions, Collection<String> resources, Set<String> prefixes) {
    ObjectNode statement = JSON.createObjectNode();
    statement.put("Effect", "Allow");
    putOneOrMany(statement, "Action", actions);
    putOneOrMany(statement, "Resource", resources);
    if (prefixes != null && !prefixes.isEmpty()) {
      ObjectNode condition = statement.putObject("Condition").putObject("StringLike");
      putOneOrMany(condition, "s3:prefix", prefixes);
    }
    return statement;
  }

  private static void putOneOrMany(ObjectNode node, String field, Collection<String> values) {
    if (values.size() == 1) {
      node.put(field, values.iterator().next());
    } else {
      ArrayNode array = node.putArray(field);
      values.forEach(array::add);
    }
  }

  private String objectArn(Grant.Shape shape) {
    return "arn:" + partition + ":s3:::" + shape.bucket() + "/" + iamText(shape.key())
        + (shape.prefix() ? "*" : "");
  }

  private static List<String> iamActions(Set<Action> actions) {
    List<String> names = new ArrayList<>();
    if (actions.contains(Action.READ)) {
      names.add("s3:GetObject");
    }
    if (actions.contains(Action.WRITE)) {
      names.add("s3:PutObject");
    }
    if (actions.contains(Action.DELETE)) {
      names.add("s3:DeleteObject");
    }
    return names;
  }

  /** Escapes the characters IAM reads as wildcards or variables: *, ? and $. */
  private static String iamText(String literal) {
    StringBuilder text = new StringBuilder(literal.length());
    for (int i = 0; i < literal.length(); i++) {
      char c = literal.charAt(i);
      if (c == '*' || c == '?' || c == '$') {
        text.append("${").append(c).append('}');
      } else {
        text.append(c);
      }
    }
    return text.toString();
  }

  private static String serialize(ObjectNode document) {
    try {
      return JSON.writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Failed to write a session policy built in memory", e);
    }
  }

  private static PolicyNotExpressibleException notExact(
      Resolved rule, ResourcePattern pattern, String reason) {
    return new PolicyNotExpressibleException("Rule " + rule.ref() + " cannot be written as " + TARGET
        + ": pattern '" + pattern + "' has no exact IAM resource, because " + reason);
  }

  /** One action on one pattern that the session policy must allow. */
  private record Grant(Resolved rule, Action action, ResourcePattern pattern, Shape shape) {

    /**
     * The IAM form of a pattern.
     *
     * @param bucket the bucket, possibly ending in {@code *}; S3 bucket names hold no character
     *     that IAM reads as a wildcard or variable
     * @param key the literal key, or the literal prefix when {@code prefix} is true; not escaped
     * @param prefix whether every key starting with {@code key} is meant
     */
    record Shape(String bucket, String key, boolean prefix) {
      boolean covers(Shape other) {
        return prefix && bucket.equals(other.bucket) && other.key.startsWith(key);
      }
    }
  }
}
