package dev.latchkey.policy;

import dev.latchkey.policy.internal.AttributeRef;
import java.util.List;
import java.util.Objects;

/**
 * A condition on one attribute of the identity, the resource or the request context. Created with
 * the factory methods of {@link Condition}, which list the attribute names.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class AttributeCondition implements Condition {

  /** The comparison applied to the attribute. */
  public enum Operator {
    /** The attribute equals one of the values. */
    EQUALS,
    /** The attribute is present and equals none of the values. */
    NOT_EQUALS,
    /** The attribute starts with one of the values. */
    STARTS_WITH,
    /** The attribute is an integer less than the one value. */
    LESS_THAN,
    /** The attribute is an integer at most the one value. */
    AT_MOST,
    /** The attribute is an integer greater than the one value. */
    GREATER_THAN,
    /** The attribute is an integer at least the one value. */
    AT_LEAST,
    /** The attribute is present. */
    PRESENT,
    /** The attribute is absent. */
    ABSENT,
    /** The attribute is present and equals the attribute named by the one value. */
    EQUALS_ATTRIBUTE
  }

  private final String attribute;
  private final Operator operator;
  private final List<String> values;
  private final AttributeRef ref;
  private final String[] valueArray;
  private final long limit;
  private final AttributeRef otherRef;

  AttributeCondition(String attribute, Operator operator, List<String> values) {
    this.ref = AttributeRef.parse(attribute);
    this.attribute = attribute;
    this.operator = Objects.requireNonNull(operator, "operator");
    this.values = List.copyOf(values);
    this.valueArray = this.values.toArray(new String[0]);
    checkValueCount();
    this.limit = isNumeric() ? Long.parseLong(values.get(0)) : 0;
    this.otherRef = operator == Operator.EQUALS_ATTRIBUTE ? AttributeRef.parse(values.get(0)) : null;
  }

  static AttributeCondition numeric(String attribute, Operator operator, long limit) {
    return new AttributeCondition(attribute, operator, List.of(Long.toString(limit)));
  }

  /** Returns the attribute name, such as {@code identity.env}. */
  public String attribute() {
    return attribute;
  }

  /** Returns how the attribute is compared. */
  public Operator operator() {
    return operator;
  }

  /**
   * Returns the values compared with: a list for {@link Operator#EQUALS}, {@link
   * Operator#NOT_EQUALS} and {@link Operator#STARTS_WITH}; one decimal integer for the numeric
   * operators; the other attribute's name for {@link Operator#EQUALS_ATTRIBUTE}; none otherwise.
   */
  public List<String> values() {
    return values;
  }

  /** Returns whether the attribute comes from the identity, which is known before any request. */
  public boolean dependsOnIdentityOnly() {
    boolean otherIsIdentity = otherRef == null || otherRef.source() == AttributeRef.Source.IDENTITY;
    return ref.source() == AttributeRef.Source.IDENTITY && otherIsIdentity;
  }

  @Override
  public boolean test(AccessRequest request) {
    return switch (operator) {
      case EQUALS -> equalsAny(ref.value(request));
      case NOT_EQUALS -> notEqualsAny(ref.value(request));
      case STARTS_WITH -> startsWithAny(ref.value(request));
      case LESS_THAN, AT_MOST, GREATER_THAN, AT_LEAST -> compare(ref.number(request));
      case PRESENT -> ref.isPresent(request);
      case ABSENT -> !ref.isPresent(request);
      case EQUALS_ATTRIBUTE -> equalsOther(ref.value(request), otherRef.value(request));
    };
  }

  @Override
  public String describe() {
    return switch (operator) {
      case PRESENT, ABSENT -> attribute + " is " + operator.name().toLowerCase(java.util.Locale.ROOT);
      case EQUALS_ATTRIBUTE -> attribute + " equals attribute " + values.get(0);
      case LESS_THAN, AT_MOST, GREATER_THAN, AT_LEAST -> attribute + " " + operatorWords() + " " + limit;
      default -> attribute + " " + operatorWords() + " " + values;
    };
  }

  @Override
  public String toString() {
    return describe();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AttributeCondition that
        && attribute.equals(that.attribute)
        && operator == that.operator
        && values.equals(that.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(attribute, operator, values);
  }

  private boolean equalsAny(String value) {
    if (value == null) {
      return false;
    }
    for (String candidate : valueArray) {
      if (candidate.equals(value)) {
        return true;
      }
    }
    return false;
  }

  private boolean notEqualsAny(String value) {
    return value != null && !equalsAny(value);
  }

  private boolean startsWithAny(String value) {
    if (value == null) {
      return false;
    }
    for (String prefix : valueArray) {
      if (value.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private boolean compare(long value) {
    if (value == AttributeRef.NO_NUMBER) {
      return false;
    }
    return switch (operator) {
      case LESS_THAN -> value < limit;
      case AT_MOST -> value <= limit;
      case GREATER_THAN -> value > limit;
      default -> value >= limit;
    };
  }

  private static boolean equalsOther(String value, String other) {
    return value != null && value.equals(other);
  }

  private boolean isNumeric() {
    return switch (operator) {
      case LESS_THAN, AT_MOST, GREATER_THAN, AT_LEAST -> true;
      default -> false;
    };
  }

  private String operatorWords() {
    return switch (operator) {
      case EQUALS -> "equals one of";
      case NOT_EQUALS -> "equals none of";
      case STARTS_WITH -> "starts with one of";
      case LESS_THAN -> "is less than";
      case AT_MOST -> "is at most";
      case GREATER_THAN -> "is greater than";
      default -> "is at least";
    };
  }

  private void checkValueCount() {
    int expected = switch (operator) {
      case PRESENT, ABSENT -> 0;
      case EQUALS, NOT_EQUALS, STARTS_WITH -> -1;
      default -> 1;
    };
    if (expected == -1 && values.isEmpty()) {
      throw new IllegalArgumentException("Invalid condition on '" + attribute + "': operator "
          + operator + " needs at least one value");
    }
    if (expected >= 0 && values.size() != expected) {
      throw new IllegalArgumentException("Invalid condition on '" + attribute + "': operator "
          + operator + " takes " + expected + " value(s), got " + values.size());
    }
  }
}
