package dev.latchkey.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The S3 part of an IAM session policy, as {@link TestSts} enforces it through S3Proxy.
 *
 * <p>Understood: statements with {@code Effect} {@code Allow} or {@code Deny}; {@code Action} (a
 * string or a list) among {@code s3:GetObject}, {@code s3:PutObject}, {@code s3:DeleteObject}, {@code
 * s3:ListBucket}, with {@code *} wildcards such as {@code s3:*}; {@code Resource} (a string or a list)
 * of the forms {@code arn:aws:s3:::bucket/keyPattern} for object actions and {@code
 * arn:aws:s3:::bucket} for listing, where {@code *} and {@code ?} are wildcards; and, for {@code
 * s3:ListBucket}, a {@code StringLike} or {@code StringEquals} condition on {@code s3:prefix}. An
 * explicit deny wins over an allow, and anything not allowed is denied.
 *
 * <p>Note: other condition keys, {@code NotAction}, {@code NotResource} and principals are not
 * evaluated; a statement with a condition other than {@code s3:prefix} never matches, so it can only
 * narrow access. Immutable and thread-safe.
 */
public final class SessionPolicy {

  /** The S3 actions the policy is evaluated for. */
  public enum Action {
    GET_OBJECT("s3:GetObject"),
    PUT_OBJECT("s3:PutObject"),
    DELETE_OBJECT("s3:DeleteObject"),
    LIST_BUCKET("s3:ListBucket");

    private final String iamName;

    Action(String iamName) {
      this.iamName = iamName;
    }

    /** Returns the IAM name, such as {@code s3:GetObject}. */
    public String iamName() {
      return iamName;
    }
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final List<Statement> statements;

  private SessionPolicy(List<Statement> statements) {
    this.statements = List.copyOf(statements);
  }

  /**
   * Parses a policy document.
   *
   * @throws IllegalArgumentException if it is not JSON, has no {@code Statement}, or a statement has
   *     an {@code Effect} other than {@code Allow} and {@code Deny}
   */
  public static SessionPolicy parse(String json) {
    Objects.requireNonNull(json, "policy");
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Invalid session policy: not JSON (" + e.getOriginalMessage() + ")", e);
    }
    if (root == null || !root.has("Statement")) {
      throw new IllegalArgumentException("Invalid session policy: it has no Statement member");
    }

    List<Statement> statements = new ArrayList<>();
    for (JsonNode statement : asList(root.get("Statement"))) {
      statements.add(Statement.parse(statement));
    }
    return new SessionPolicy(statements);
  }

  /**
   * Returns whether the policy allows an object action on {@code bucket/key}, or {@link
   * Action#LIST_BUCKET} on {@code bucket} with the list prefix {@code key} (empty for none).
   */
  public boolean allows(Action action, String bucket, String key) {
    boolean allowed = false;
    for (Statement statement : statements) {
      if (statement.matches(action, bucket, key)) {
        if (!statement.allow) {
          return false;
        }
        allowed = true;
      }
    }
    return allowed;
  }

  private static List<JsonNode> asList(JsonNode node) {
    List<JsonNode> list = new ArrayList<>();
    if (node == null) {
      return list;
    }
    if (node.isArray()) {
      node.forEach(list::add);
    } else {
      list.add(node);
    }
    return list;
  }

  private static Pattern wildcard(String glob) {
    StringBuilder regex = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }

  private record Statement(boolean allow, List<Pattern> actions, List<Pattern> resources,
      List<Pattern> prefixes, boolean unsupportedCondition) {

    static Statement parse(JsonNode node) {
      String effect = node.path("Effect").asText("");
      if (!effect.equals("Allow") && !effect.equals("Deny")) {
        throw new IllegalArgumentException(
            "Invalid session policy: Effect '" + effect + "' must be Allow or Deny");
      }

      List<Pattern> actions = new ArrayList<>();
      asList(node.get("Action")).forEach(action -> actions.add(
          wildcard(action.asText().toLowerCase(Locale.ROOT))));
      List<Pattern> resources = new ArrayList<>();
      asList(node.get("Resource")).forEach(resource -> resources.add(wildcard(resource.asText())));

      List<Pattern> prefixes = new ArrayList<>();
      boolean unsupported = false;
      JsonNode condition = node.get("Condition");
      if (condition != null) {
        for (var operator : (Iterable<java.util.Map.Entry<String, JsonNode>>) condition::fields) {
          boolean like = operator.getKey().equals("StringLike");
          boolean equals = operator.getKey().equals("StringEquals");
          for (var key : (Iterable<java.util.Map.Entry<String, JsonNode>>) operator.getValue()::fields) {
            if ((like || equals) && key.getKey().equals("s3:prefix")) {
              asList(key.getValue()).forEach(value -> prefixes.add(
                  like ? wildcard(value.asText()) : Pattern.compile(Pattern.quote(value.asText()))));
            } else {
              unsupported = true;
            }
          }
        }
      }
      return new Statement(effect.equals("Allow"), actions, resources, prefixes, unsupported);
    }

    boolean matches(Action action, String bucket, String key) {
      if (unsupportedCondition && allow) {
        return false;
      }
      if (actions.stream().noneMatch(p -> p.matcher(action.iamName().toLowerCase(Locale.ROOT)).matches())) {
        return false;
      }
      if (action == Action.LIST_BUCKET) {
        String arn = "arn:aws:s3:::" + bucket;
        boolean prefixMatches = prefixes.isEmpty() || prefixes.stream().anyMatch(p -> p.matcher(key).matches());
        return prefixMatches && resources.stream().anyMatch(p -> p.matcher(arn).matches());
      }
      String arn = "arn:aws:s3:::" + bucket + "/" + key;
      return resources.stream().anyMatch(p -> p.matcher(arn).matches());
    }
  }
}
