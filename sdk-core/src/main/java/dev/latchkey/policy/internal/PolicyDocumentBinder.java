package dev.latchkey.policy.internal;

import com.fasterxml.jackson.core.JsonLocation;
import dev.latchkey.policy.AccessPolicy;
import dev.latchkey.policy.Action;
import dev.latchkey.policy.Binding;
import dev.latchkey.policy.Condition;
import dev.latchkey.policy.Effect;
import dev.latchkey.policy.PolicyDocumentException;
import dev.latchkey.policy.Role;
import dev.latchkey.policy.Rule;
import dev.latchkey.policy.internal.PolicyDocumentModel.BindingDoc;
import dev.latchkey.policy.internal.PolicyDocumentModel.ConditionDoc;
import dev.latchkey.policy.internal.PolicyDocumentModel.PolicyDoc;
import dev.latchkey.policy.internal.PolicyDocumentModel.RoleDoc;
import dev.latchkey.policy.internal.PolicyDocumentModel.RuleDoc;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Builds the policy model from a bound document, reporting each problem with the JSON pointer of
 * the value at fault. Not thread-safe; one instance per document.
 */
final class PolicyDocumentBinder {

  static final int VERSION = 1;

  private final String json;

  PolicyDocumentBinder(String json) {
    this.json = json;
  }

  AccessPolicy bind(PolicyDoc document) {
    Integer version = required(document.version(), "", "version", "set it to " + VERSION);
    if (version != VERSION) {
      throw error("unsupported version " + version + "; this library reads version " + VERSION,
          "/version");
    }
    AccessPolicy.Builder builder = AccessPolicy.builder();
    List<RoleDoc> roles = required(document.roles(), "", "roles", "list the roles, or write []");
    for (int i = 0; i < roles.size(); i++) {
      String at = "/roles/" + i;
      Role role = role(element(roles.get(i), at), at);
      apply(at + "/name", () -> builder.role(role));
    }
    List<BindingDoc> bindings =
        required(document.bindings(), "", "bindings", "list the bindings, or write []");
    java.util.Set<String> roleNames = new java.util.LinkedHashSet<>();
    roles.forEach(role -> roleNames.add(role.name()));
    for (int i = 0; i < bindings.size(); i++) {
      String at = "/bindings/" + i;
      Binding binding = binding(element(bindings.get(i), at), at);
      checkRolesExist(binding, roleNames, at);
      apply(at + "/id", () -> builder.binding(binding));
    }
    return apply("", builder::build);
  }

  private void checkRolesExist(Binding binding, java.util.Set<String> roleNames, String at) {
    for (int i = 0; i < binding.roles().size(); i++) {
      String role = binding.roles().get(i);
      if (!roleNames.contains(role)) {
        throw error("binding '" + binding.id() + "' grants unknown role '" + role
            + "'; add the role or correct the name; known roles: " + roleNames, at + "/roles/" + i);
      }
    }
  }

  private Role role(RoleDoc doc, String at) {
    Role.Builder role = Role.builder();
    String name = required(doc.name(), at, "name", "name the role");
    apply(at + "/name", () -> role.name(name));
    List<RuleDoc> rules = required(doc.rules(), at, "rules", "list the role's rules");
    if (rules.isEmpty()) {
      throw error("role '" + name + "' has no rules; add at least one", at + "/rules");
    }
    for (int i = 0; i < rules.size(); i++) {
      String ruleAt = at + "/rules/" + i;
      Rule rule = rule(element(rules.get(i), ruleAt), ruleAt);
      apply(ruleAt + "/id", () -> role.rule(rule));
    }
    return apply(at, role::build);
  }

  private Rule rule(RuleDoc doc, String at) {
    Rule.Builder rule = Rule.builder();
    String id = required(doc.id(), at, "id", "give the rule an id");
    apply(at + "/id", () -> rule.id(id));
    String effect = required(doc.effect(), at, "effect", "use ALLOW or DENY");
    apply(at + "/effect", () -> rule.effect(enumValue(Effect.class, effect)));
    List<String> actions = nonEmpty(doc.actions(), at, "actions", "READ, WRITE, DELETE or LIST");
    for (int i = 0; i < actions.size(); i++) {
      String action = element(actions.get(i), at + "/actions/" + i);
      apply(at + "/actions/" + i, () -> rule.actions(enumValue(Action.class, action)));
    }
    List<String> resources = nonEmpty(doc.resources(), at, "resources", "patterns such as s3://bucket/**");
    for (int i = 0; i < resources.size(); i++) {
      String pattern = element(resources.get(i), at + "/resources/" + i);
      apply(at + "/resources/" + i, () -> rule.resources(pattern));
    }
    List<ConditionDoc> conditions = doc.conditions() == null ? List.of() : doc.conditions();
    for (int i = 0; i < conditions.size(); i++) {
      String conditionAt = at + "/conditions/" + i;
      Condition condition = condition(element(conditions.get(i), conditionAt), conditionAt);
      rule.condition(condition);
    }
    return apply(at, rule::build);
  }

  private Condition condition(ConditionDoc doc, String at) {
    List<String> operators = operatorsOf(doc);
    if (operators.size() != 1) {
      throw error("a condition needs exactly one operator, found "
          + (operators.isEmpty() ? "none" : String.join(", ", operators))
          + "; use one of " + String.join(", ", ALL_OPERATORS), at);
    }
    String operator = operators.get(0);
    if (operator.equals("timeOfDay") || operator.equals("weekdays")) {
      if (doc.attribute() != null) {
        throw error("field 'attribute' does not apply to " + operator + "; remove it", at + "/attribute");
      }
      return operator.equals("timeOfDay") ? timeOfDay(doc, at + "/timeOfDay") : weekdays(doc, at + "/weekdays");
    }
    String attribute = required(doc.attribute(), at, "attribute", "name it, such as identity.env");
    return apply(at + "/" + operator, () -> attributeCondition(doc, attribute, operator));
  }

  private static final List<String> ALL_OPERATORS = List.of("equals", "notEquals", "startsWith",
      "lessThan", "atMost", "greaterThan", "atLeast", "present", "equalsAttribute", "timeOfDay",
      "weekdays");

  private static List<String> operatorsOf(ConditionDoc doc) {
    Object[] values = {doc.equals(), doc.notEquals(), doc.startsWith(), doc.lessThan(), doc.atMost(),
        doc.greaterThan(), doc.atLeast(), doc.present(), doc.equalsAttribute(), doc.timeOfDay(),
        doc.weekdays()};
    List<String> found = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      if (values[i] != null) {
        found.add(ALL_OPERATORS.get(i));
      }
    }
    return found;
  }

  private static Condition attributeCondition(ConditionDoc doc, String attribute, String operator) {
    return switch (operator) {
      case "equals" -> Condition.equalsAny(attribute, doc.equals().toArray(new String[0]));
      case "notEquals" -> Condition.notEqualsAny(attribute, doc.notEquals().toArray(new String[0]));
      case "startsWith" -> Condition.startsWithAny(attribute, doc.startsWith().toArray(new String[0]));
      case "lessThan" -> Condition.lessThan(attribute, doc.lessThan());
      case "atMost" -> Condition.atMost(attribute, doc.atMost());
      case "greaterThan" -> Condition.greaterThan(attribute, doc.greaterThan());
      case "atLeast" -> Condition.atLeast(attribute, doc.atLeast());
      case "present" -> doc.present() ? Condition.present(attribute) : Condition.absent(attribute);
      default -> Condition.equalsAttribute(attribute, doc.equalsAttribute());
    };
  }

  private Condition timeOfDay(ConditionDoc doc, String at) {
    var window = doc.timeOfDay();
    String from = required(window.from(), at, "from", "write a time such as 08:00");
    String to = required(window.to(), at, "to", "write a time such as 18:00");
    ZoneId zone = zone(window.zone(), at);
    LocalTime start = apply(at + "/from", () -> LocalTime.parse(from));
    LocalTime end = apply(at + "/to", () -> LocalTime.parse(to));
    return apply(at, () -> Condition.timeOfDay(start, end, zone));
  }

  private Condition weekdays(ConditionDoc doc, String at) {
    var weekdays = doc.weekdays();
    List<String> names = nonEmpty(weekdays.days(), at, "days", "MONDAY to SUNDAY");
    ZoneId zone = zone(weekdays.zone(), at);
    DayOfWeek[] days = new DayOfWeek[names.size()];
    for (int i = 0; i < days.length; i++) {
      String name = element(names.get(i), at + "/days/" + i);
      days[i] = apply(at + "/days/" + i, () -> enumValue(DayOfWeek.class, name));
    }
    return apply(at, () -> Condition.weekdays(zone, days));
  }

  private ZoneId zone(String zone, String at) {
    String id = required(zone, at, "zone", "name a time zone such as Europe/Berlin or UTC");
    return apply(at + "/zone", () -> ZoneId.of(id));
  }

  private Binding binding(BindingDoc doc, String at) {
    Binding.Builder binding = Binding.builder();
    String id = required(doc.id(), at, "id", "give the binding an id");
    apply(at + "/id", () -> binding.id(id));
    List<String> identities = doc.identities() == null ? List.of() : doc.identities();
    for (int i = 0; i < identities.size(); i++) {
      String name = element(identities.get(i), at + "/identities/" + i);
      apply(at + "/identities/" + i, () -> binding.identities(name));
    }
    Map<String, List<String>> attributes = doc.attributes() == null ? Map.of() : doc.attributes();
    attributes.forEach((name, values) -> {
      String attributeAt = at + "/attributes/" + escapePointer(name);
      List<String> allowed = nonEmpty(values, at + "/attributes", name, "list the allowed values");
      apply(attributeAt, () -> binding.attribute(name, allowed.toArray(new String[0])));
    });
    List<String> roles = nonEmpty(doc.roles(), at, "roles", "name the roles to grant");
    for (int i = 0; i < roles.size(); i++) {
      String role = element(roles.get(i), at + "/roles/" + i);
      apply(at + "/roles/" + i, () -> binding.roles(role));
    }
    return apply(at, binding::build);
  }

  private <E extends Enum<E>> E enumValue(Class<E> type, String name) {
    try {
      return Enum.valueOf(type, name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid value '" + name + "'; use one of "
          + Arrays.toString(type.getEnumConstants()), e);
    }
  }

  private <T> T required(T value, String at, String field, String fix) {
    if (value == null) {
      throw error("field '" + field + "' is missing or null; " + fix, at);
    }
    return value;
  }

  private <T> List<T> nonEmpty(List<T> values, String at, String field, String fix) {
    List<T> list = required(values, at, field, fix);
    if (list.isEmpty()) {
      throw error("field '" + field + "' is empty; " + fix, at + "/" + escapePointer(field));
    }
    return list;
  }

  private <T> T element(T value, String at) {
    if (value == null) {
      throw error("null is not allowed here", at);
    }
    return value;
  }

  private <T> T apply(String at, Supplier<T> step) {
    try {
      return step.get();
    } catch (IllegalArgumentException | IllegalStateException | DateTimeException e) {
      throw error(e.getMessage(), at);
    }
  }

  private PolicyDocumentException error(String problem, String pointer) {
    JsonLocation location = PolicyDocumentReader.locate(json, pointer);
    int line = location == null ? -1 : location.getLineNr();
    int column = location == null ? -1 : location.getColumnNr();
    return new PolicyDocumentException(problem, pointer, line, column, null);
  }

  /** Escapes a field name for a JSON pointer (RFC 6901): {@code ~} as {@code ~0}, {@code /} as {@code ~1}. */
  static String escapePointer(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }
}
