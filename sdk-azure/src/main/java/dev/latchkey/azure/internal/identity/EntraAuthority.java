package dev.latchkey.azure.internal.identity;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/** Builds Microsoft identity platform v2.0 token endpoint URLs and checks tenant ids. */
public final class EntraAuthority {

  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]*");

  /** Multi-tenant aliases, which accept user sign-ins but not app-only tokens. */
  private static final Set<String> ALIASES = Set.of("common", "organizations", "consumers");

  private EntraAuthority() {}

  /**
   * Returns the token endpoint {@code {authorityHost}/{tenantId}/oauth2/v2.0/token}. A path of the
   * authority host is kept, so a host given as {@code https://login.example/prefix} works.
   */
  public static HttpUrl tokenEndpoint(HttpUrl authorityHost, String tenantId) {
    HttpUrl.Builder url = authorityHost.newBuilder().query(null).fragment(null);
    if (authorityHost.pathSegments().get(authorityHost.pathSize() - 1).isEmpty()) {
      url.removePathSegment(authorityHost.pathSize() - 1);
    }
    return url.addPathSegment(tenantId).addPathSegments("oauth2/v2.0/token").build();
  }

  /**
   * Returns {@code tenantId} if it names one tenant: a directory id (a GUID) or a verified domain
   * such as {@code contoso.onmicrosoft.com}.
   *
   * @throws IllegalArgumentException if it has characters a tenant id cannot have, or is {@code
   *     common}, {@code organizations} or {@code consumers}
   */
  public static String requireTenantId(String option, String tenantId) {
    Objects.requireNonNull(tenantId, option);
    if (!TENANT.matcher(tenantId).matches()) {
      throw new IllegalArgumentException("Invalid " + option + " '" + tenantId
          + "': use the directory (tenant) id, a GUID, or a verified domain of the tenant");
    }
    if (ALIASES.contains(tenantId.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("Invalid " + option + " '" + tenantId
          + "': client credentials need one specific tenant; use its directory (tenant) id");
    }
    return tenantId;
  }
}
