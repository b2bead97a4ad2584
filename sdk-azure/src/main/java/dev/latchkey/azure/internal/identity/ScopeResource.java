package dev.latchkey.azure.internal.identity;

/**
 * Converts between the OAuth 2.0 scope of the Microsoft identity platform v2.0 endpoint and the
 * resource URI that managed identity endpoints take.
 */
public final class ScopeResource {

  private static final String DEFAULT_SUFFIX = "/.default";

  private ScopeResource() {}

  /**
   * Returns the resource of a {@code .default} scope, such as {@code https://storage.azure.com} for
   * {@code https://storage.azure.com/.default}; any other scope is returned unchanged.
   */
  public static String toResource(String scope) {
    return scope.endsWith(DEFAULT_SUFFIX)
        ? scope.substring(0, scope.length() - DEFAULT_SUFFIX.length())
        : scope;
  }
}
