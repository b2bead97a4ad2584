package dev.latchkey.azure.internal;

/**
 * Builds a SAS query string: each value is percent-encoded exactly once, and empty or absent values
 * are left out. Not thread-safe.
 */
public final class SasQuery {

  private final StringBuilder query = new StringBuilder(256);

  /** Adds {@code name=value} if the value is not null or empty. */
  public SasQuery add(String name, String value) {
    if (value == null || value.isEmpty()) {
      return this;
    }
    if (query.length() > 0) {
      query.append('&');
    }
    query.append(name).append('=');
    PercentCoding.appendQueryComponent(query, value);
    return this;
  }

  @Override
  public String toString() {
    return query.toString();
  }
}
