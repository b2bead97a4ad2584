package dev.latchkey.policy;

import dev.latchkey.policy.internal.Glob;
import java.util.Objects;

/**
 * A set of resources written like a {@link Resource} with wildcards: {@code s3://reports/2026/*} or
 * {@code azure://account/container/logs/**}.
 *
 * <ul>
 *   <li>{@code *} matches any run of characters within one path segment, that is without {@code
 *       /}; it may stand for a whole account, container or bucket segment, or part of one.
 *   <li>{@code **} matches any run of characters, across segments; it may appear only in the key
 *       part. {@code s3://reports/**} is the whole bucket, including the empty listing prefix.
 *   <li>{@code \*} is a literal asterisk and {@code \\} a literal backslash. In a JSON document the
 *       backslash itself is escaped: {@code "s3://b/a\\*b"} matches the key {@code a*b} only.
 *   <li>Every other character matches itself, exactly: {@code %} and spaces are not decoded, and
 *       non-ASCII characters are compared as stored, without Unicode normalization (an S3 key in NFC
 *       and the same text in NFD are different keys).
 * </ul>
 *
 * <p>Instances are immutable and thread-safe; matching allocates nothing.
 */
public final class ResourcePattern {

  private final String text;
  private final String scheme;
  private final String containerPattern;
  private final String keyPattern;
  private final Glob container;
  private final Glob key;

  private ResourcePattern(String text, String scheme, String containerPattern, String keyPattern) {
    this.text = text;
    this.scheme = scheme;
    this.containerPattern = containerPattern;
    this.keyPattern = keyPattern;
    this.container = compile(text, containerPattern, false);
    this.key = compile(text, keyPattern, true);
  }

  /**
   * Parses a pattern.
   *
   * @throws IllegalArgumentException if the pattern has no scheme, container or key part, or a
   *     wildcard or escape is malformed. The message names the pattern and the fix.
   */
  public static ResourcePattern parse(String pattern) {
    Objects.requireNonNull(pattern, "pattern");
    int schemeEnd = pattern.indexOf("://");
    if (schemeEnd <= 0) {
      throw invalid(pattern, "write it as s3://bucket/key-pattern or azure://account/container/blob-pattern");
    }
    String scheme = pattern.substring(0, schemeEnd);
    String rest = pattern.substring(schemeEnd + 3);
    int containerSegments = Resource.hasAccount(scheme) ? 2 : 1;
    int split = nthSlash(rest, containerSegments);
    if (split < 0) {
      throw invalid(pattern, "it has no key part; add /** for every key in the container");
    }
    String containerPattern = rest.substring(0, split);
    checkContainerSegments(pattern, containerPattern);
    Resource.parse(scheme + "://" + containerPattern.replace("*", "x") + "/");
    return new ResourcePattern(pattern, scheme, containerPattern, rest.substring(split + 1));
  }

  /** Returns whether the resource is in this set. */
  public boolean matches(Resource resource) {
    return scheme.equals(resource.scheme())
        && container.matches(resource.containerPath())
        && key.matches(resource.key());
  }

  /** Returns whether the resource's scheme and container match, whatever its key. */
  public boolean matchesContainer(Resource resource) {
    return scheme.equals(resource.scheme()) && container.matches(resource.containerPath());
  }

  /** Returns the scheme, such as {@code s3}. */
  public String scheme() {
    return scheme;
  }

  /**
   * Returns the container part as written: the bucket, or the account and container joined by a
   * slash, possibly with {@code *}.
   */
  public String containerPattern() {
    return containerPattern;
  }

  /** Returns the key part as written, after the container and its slash. */
  public String keyPattern() {
    return keyPattern;
  }

  /** Returns whether the container part is free of wildcards, so it names one container. */
  public boolean hasLiteralContainer() {
    return container.isLiteral();
  }

  /** Returns the pattern as written. */
  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ResourcePattern that && text.equals(that.text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  private static int nthSlash(String text, int n) {
    int index = -1;
    for (int i = 0; i < n; i++) {
      index = text.indexOf('/', index + 1);
      if (index < 0) {
        return -1;
      }
    }
    return index;
  }

  private static void checkContainerSegments(String pattern, String containerPattern) {
    if (containerPattern.contains("\\")) {
      throw invalid(pattern, "escapes are allowed only in the key part");
    }
    for (String segment : containerPattern.split("/", -1)) {
      if (segment.isEmpty()) {
        throw invalid(pattern, "a container or account segment is empty");
      }
    }
  }

  private static Glob compile(String pattern, String part, boolean allowDoubleStar) {
    try {
      return Glob.compile(part, allowDoubleStar);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Invalid resource pattern '" + pattern + "': " + e.getMessage(), e);
    }
  }

  private static IllegalArgumentException invalid(String pattern, String reason) {
    return new IllegalArgumentException("Invalid resource pattern '" + pattern + "': " + reason);
  }
}
