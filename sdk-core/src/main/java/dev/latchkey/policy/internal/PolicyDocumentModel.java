package dev.latchkey.policy.internal;

import java.util.List;
import java.util.Map;

/**
 * The JSON shape of a policy document, bound by Jackson before it is checked. Every field is
 * nullable here; {@link PolicyDocumentBinder} reports the missing ones.
 */
final class PolicyDocumentModel {

  private PolicyDocumentModel() {}

  record PolicyDoc(Integer version, List<RoleDoc> roles, List<BindingDoc> bindings) {}

  record RoleDoc(String name, List<RuleDoc> rules) {}

  record RuleDoc(
      String id,
      String effect,
      List<String> actions,
      List<String> resources,
      List<ConditionDoc> conditions) {}

  record ConditionDoc(
      String attribute,
      List<String> equals,
      List<String> notEquals,
      List<String> startsWith,
      Long lessThan,
      Long atMost,
      Long greaterThan,
      Long atLeast,
      Boolean present,
      String equalsAttribute,
      TimeOfDayDoc timeOfDay,
      WeekdaysDoc weekdays) {}

  record TimeOfDayDoc(String from, String to, String zone) {}

  record WeekdaysDoc(List<String> days, String zone) {}

  record BindingDoc(
      String id, List<String> identities, Map<String, List<String>> attributes, List<String> roles) {}
}
