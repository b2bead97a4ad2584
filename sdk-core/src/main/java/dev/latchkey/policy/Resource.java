package dev.latchkey.policy;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * One concrete resource that a request touches: an object, or the listing prefix of a container.
 *
 * <p>Written as {@code s3://bucket/key} or {@code azure://account/container/blob}; other schemes
 * name one container segment, like {@code s3}. The key is everything after the container and its
 * slash, kept exactly as stored: it is not percent-decoded, not Unicode-normalized, and {@code *},
 * {@code %}, spaces and {@code ?} are ordinary characters in it. For a {@link Action#LIST} request the
 * key is the listing prefix, and {@code s3://bucket/} (or {@code s3://bucket}) is the whole bucket.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Resource {

  private final String scheme;
  private final String account;
  private final String container;
  private final String key;
  private final String containerPath;
  private final String containerKey;

  private Resource(String scheme, String account, String container, String key) {
    this.scheme = scheme;
    this.account = account;
    this.container = container;
    this.key = key;
    this.containerPath = account == null ? container : account + "/" + container;
    this.containerKey = scheme + "://" + containerPath;
  }

  /**
   * Parses the plain form {@code scheme://container/key}, where the key is taken literally.
   *
   * @throws IllegalArgumentException if the scheme, account or container is missing
   */
  public static Resource parse(String resource) {
    Objects.requireNonNull(resource, "resource");
    int schemeEnd = resource.indexOf("://");
    if (schemeEnd <= 0) {
      throw new IllegalArgumentException("Invalid resource '" + resource
          + "': write it as s3://bucket/key or azure://account/container/blob");
    }
    String scheme = checkScheme(resource, resource.substring(0, schemeEnd));
    String rest = resource.substring(schemeEnd + 3);
    String account = null;
    if (hasAccount(scheme)) {
      int slash = rest.indexOf('/');
      account = slash < 0 ? rest : rest.substring(0, slash);
      checkSegment(resource, "account", account);
      rest = slash < 0 ? "" : rest.substring(slash + 1);
    }
    int slash = rest.indexOf('/');
    String container = slash < 0 ? rest : rest.substring(0, slash);
    checkSegment(resource, "container", container);
    String key = slash < 0 ? "" : rest.substring(slash + 1);
    return new Resource(scheme, account, container, key);
  }

  /**
   * Converts a resource URI, such as the one a storage backend returns, decoding percent-escapes in
   * its path as UTF-8: {@code s3://bucket/100%25%20done} is the key {@code 100% done}.
   *
   * @throws IllegalArgumentException if the URI has no scheme or no container
   */
  public static Resource of(URI uri) {
    Objects.requireNonNull(uri, "uri");
    if (uri.getScheme() == null || uri.getAuthority() == null) {
      throw new IllegalArgumentException("Invalid resource URI '" + uri
          + "': write it as s3://bucket/key or azure://account/container/blob");
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    String resource = uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getAuthority() + path;
    return parse(resource);
  }

  /** Returns the resource of an S3 object, or of a listing prefix. */
  public static Resource s3(String bucket, String key) {
    return parse("s3://" + bucket + "/" + Objects.requireNonNull(key, "key"));
  }

  /** Returns the resource of an Azure blob, or of a listing prefix. */
  public static Resource azure(String account, String container, String blob) {
    return parse("azure://" + account + "/" + container + "/" + Objects.requireNonNull(blob, "blob"));
  }

  /** Returns whether resources of this scheme name an account before the container. */
  public static boolean hasAccount(String scheme) {
    return scheme.equals("azure");
  }

  /** Returns the URI scheme, in lower case, such as {@code s3} or {@code azure}. */
  public String scheme() {
    return scheme;
  }

  /** Returns the Azure storage account, or {@code null} for schemes without accounts. */
  public String account() {
    return account;
  }

  /** Returns the S3 bucket or Azure container. */
  public String container() {
    return container;
  }

  /** Returns the object key, blob name or listing prefix, which may be empty. */
  public String key() {
    return key;
  }

  /** Returns the account and container joined by a slash, or the bucket alone. */
  public String containerPath() {
    return containerPath;
  }

  /**
   * Returns the scheme, account and container without the key, such as {@code s3://bucket} or
   * {@code azure://account/container}.
   */
  public String containerKey() {
    return containerKey;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Resource that
        && containerKey.equals(that.containerKey)
        && key.equals(that.key);
  }

  @Override
  public int hashCode() {
    return containerKey.hashCode() * 31 + key.hashCode();
  }

  /** Returns the plain form, {@code scheme://container/key}, with the key as stored. */
  @Override
  public String toString() {
    return containerKey + "/" + key;
  }

  private static String checkScheme(String resource, String scheme) {
    for (int i = 0; i < scheme.length(); i++) {
      char c = scheme.charAt(i);
      boolean valid = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-';
      if (!valid) {
        throw new IllegalArgumentException("Invalid scheme '" + scheme + "' in resource '" + resource
            + "': use lower-case letters, digits, '+' or '-', such as s3 or azure");
      }
    }
    return scheme;
  }

  private static void checkSegment(String resource, String what, String segment) {
    if (segment.isEmpty()) {
      throw new IllegalArgumentException("Invalid resource '" + resource + "': the " + what
          + " is missing; write it as s3://bucket/key or azure://account/container/blob");
    }
  }
}
