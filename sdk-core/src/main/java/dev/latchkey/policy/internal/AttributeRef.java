package dev.latchkey.policy.internal;

import dev.latchkey.policy.AccessRequest;
import java.util.Objects;

/**
 * A parsed attribute name, such as {@code identity.env}, {@code resource.size} or {@code
 * context.job}, that reads its value from an access request without allocating.
 */
public final class AttributeRef {

  /** The source of an attribute's value. */
  public enum Source { IDENTITY, RESOURCE, CONTEXT }

  private enum Field { IDENTITY, CONTEXT, SCHEME, ACCOUNT, CONTAINER, KEY, SIZE, CONTENT_TYPE, TAG }

  /** Returned by {@link #number} when the attribute is absent or not an integer. */
  public static final long NO_NUMBER = Long.MIN_VALUE;

  private final String text;
  private final Field field;
  private final String name;

  private AttributeRef(String text, Field field, String name) {
    this.text = text;
    this.field = field;
    this.name = name;
  }

  /**
   * Parses an attribute name.
   *
   * @throws IllegalArgumentException if the source prefix or the resource attribute is unknown
   */
  public static AttributeRef parse(String text) {
    Objects.requireNonNull(text, "attribute");
    if (text.startsWith("identity.") && text.length() > "identity.".length()) {
      return new AttributeRef(text, Field.IDENTITY, text.substring("identity.".length()));
    }
    if (text.startsWith("context.") && text.length() > "context.".length()) {
      return new AttributeRef(text, Field.CONTEXT, text.substring("context.".length()));
    }
    if (text.startsWith("resource.tag.") && text.length() > "resource.tag.".length()) {
      return new AttributeRef(text, Field.TAG, text.substring("resource.tag.".length()));
    }
    return new AttributeRef(text, resourceField(text), null);
  }

  private static Field resourceField(String text) {
    return switch (text) {
      case "resource.scheme" -> Field.SCHEME;
      case "resource.account" -> Field.ACCOUNT;
      case "resource.container", "resource.bucket" -> Field.CONTAINER;
      case "resource.key" -> Field.KEY;
      case "resource.size" -> Field.SIZE;
      case "resource.contentType" -> Field.CONTENT_TYPE;
      default -> throw new IllegalArgumentException("Invalid attribute '" + text
          + "': use identity.NAME, context.NAME, resource.tag.NAME or one of resource.scheme, "
          + "resource.account, resource.container, resource.bucket, resource.key, resource.size, "
          + "resource.contentType");
    };
  }

  /** Returns where the value comes from. */
  public Source source() {
    return switch (field) {
      case IDENTITY -> Source.IDENTITY;
      case CONTEXT -> Source.CONTEXT;
      default -> Source.RESOURCE;
    };
  }

  /** Returns the value, or {@code null} when the request does not carry it. */
  public String value(AccessRequest request) {
    return switch (field) {
      case IDENTITY -> request.identity().attribute(name);
      case CONTEXT -> request.context().get(name);
      case SCHEME -> request.resource().scheme();
      case ACCOUNT -> request.resource().account();
      case CONTAINER -> request.resource().container();
      case KEY -> request.resource().key();
      case SIZE -> request.size() < 0 ? null : Long.toString(request.size());
      case CONTENT_TYPE -> request.contentType();
      case TAG -> request.tags().get(name);
    };
  }

  /** Returns the value as an integer, or {@link #NO_NUMBER} when absent or not a decimal integer. */
  public long number(AccessRequest request) {
    if (field == Field.SIZE) {
      return request.size() < 0 ? NO_NUMBER : request.size();
    }
    return parseDecimal(value(request));
  }

  /** Returns whether the request carries the attribute. */
  public boolean isPresent(AccessRequest request) {
    return field == Field.SIZE ? request.size() >= 0 : value(request) != null;
  }

  /** Parses an optionally signed decimal integer without throwing; returns {@link #NO_NUMBER}. */
  static long parseDecimal(String text) {
    if (text == null || text.isEmpty() || text.length() > 19) {
      return NO_NUMBER;
    }
    boolean negative = text.charAt(0) == '-';
    int start = negative || text.charAt(0) == '+' ? 1 : 0;
    if (start == text.length()) {
      return NO_NUMBER;
    }
    long result = 0;
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return NO_NUMBER;
      }
      result = result * 10 + (c - '0');
    }
    return negative ? -result : result;
  }

  @Override
  public String toString() {
    return text;
  }
}
