package dev.latchkey.policy;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

/**
 * An attribute-based condition that a rule adds to its actions and resources: the rule applies only
 * when all its conditions hold.
 *
 * <p>Attributes are named with a source prefix:
 *
 * <ul>
 *   <li>{@code identity.NAME}: an attribute of the {@link dev.latchkey.credentials.WorkloadIdentity},
 *       such as {@code identity.env};
 *   <li>{@code resource.container} (also {@code resource.bucket}), {@code resource.account}, {@code
 *       resource.scheme}, {@code resource.key} (the listing prefix for {@link Action#LIST}), {@code
 *       resource.size} (bytes), {@code resource.contentType} and {@code resource.tag.NAME}: what the
 *       request carries about the resource;
 *   <li>{@code context.NAME}: an attribute the caller supplied with the request, such as {@code
 *       context.job}.
 * </ul>
 *
 * <p>Time conditions test the request time in a given time zone.
 *
 * <p><b>Note:</b> a condition on an attribute the request does not carry is false, except {@link
 * #absent}. For an allow rule this fails closed. For a deny rule it means the rule does not apply, so
 * a deny meant to catch unknown values needs its own rule with {@link #absent}: for example, deny
 * {@link Action#WRITE} when {@code resource.size} is absent.
 *
 * <p>Implementations are immutable and thread-safe, and {@link #test} allocates nothing.
 */
public sealed interface Condition permits AttributeCondition, TimeOfDayCondition, WeekdayCondition {

  /** Returns whether the condition holds for the request. */
  boolean test(AccessRequest request);

  /** Returns the condition in words, such as {@code identity.env equals [prod]}. */
  String describe();

  /** Returns a condition that holds when the attribute equals one of the values. */
  static AttributeCondition equalsAny(String attribute, String... values) {
    return new AttributeCondition(attribute, AttributeCondition.Operator.EQUALS, List.of(values));
  }

  /** Returns a condition that holds when the attribute is present and equals none of the values. */
  static AttributeCondition notEqualsAny(String attribute, String... values) {
    return new AttributeCondition(attribute, AttributeCondition.Operator.NOT_EQUALS, List.of(values));
  }

  /** Returns a condition that holds when the attribute starts with one of the prefixes. */
  static AttributeCondition startsWithAny(String attribute, String... prefixes) {
    return new AttributeCondition(attribute, AttributeCondition.Operator.STARTS_WITH, List.of(prefixes));
  }

  /** Returns a condition that holds when the attribute is an integer less than {@code limit}. */
  static AttributeCondition lessThan(String attribute, long limit) {
    return AttributeCondition.numeric(attribute, AttributeCondition.Operator.LESS_THAN, limit);
  }

  /** Returns a condition that holds when the attribute is an integer at most {@code limit}. */
  static AttributeCondition atMost(String attribute, long limit) {
    return AttributeCondition.numeric(attribute, AttributeCondition.Operator.AT_MOST, limit);
  }

  /** Returns a condition that holds when the attribute is an integer greater than {@code limit}. */
  static AttributeCondition greaterThan(String attribute, long limit) {
    return AttributeCondition.numeric(attribute, AttributeCondition.Operator.GREATER_THAN, limit);
  }

  /** Returns a condition that holds when the attribute is an integer at least {@code limit}. */
  static AttributeCondition atLeast(String attribute, long limit) {
    return AttributeCondition.numeric(attribute, AttributeCondition.Operator.AT_LEAST, limit);
  }

  /** Returns a condition that holds when the request carries the attribute. */
  static AttributeCondition present(String attribute) {
    return new AttributeCondition(attribute, AttributeCondition.Operator.PRESENT, List.of());
  }

  /** Returns a condition that holds when the request does not carry the attribute. */
  static AttributeCondition absent(String attribute) {
    return new AttributeCondition(attribute, AttributeCondition.Operator.ABSENT, List.of());
  }

  /**
   * Returns a condition that holds when both attributes are present and equal, such as {@code
   * resource.tag.team} and {@code identity.team}.
   */
  static AttributeCondition equalsAttribute(String attribute, String otherAttribute) {
    return new AttributeCondition(
        attribute, AttributeCondition.Operator.EQUALS_ATTRIBUTE, List.of(otherAttribute));
  }

  /**
   * Returns a condition that holds when the request time, in {@code zone}, is at or after {@code
   * from} and before {@code to}. When {@code from} is after {@code to} the window wraps midnight:
   * {@code 22:00} to {@code 06:00} is the night.
   */
  static TimeOfDayCondition timeOfDay(LocalTime from, LocalTime to, ZoneId zone) {
    return new TimeOfDayCondition(from, to, zone);
  }

  /** Returns a condition that holds when the request time, in {@code zone}, falls on one of the days. */
  static WeekdayCondition weekdays(ZoneId zone, DayOfWeek... days) {
    return new WeekdayCondition(java.util.EnumSet.copyOf(List.of(days)), zone);
  }
}
