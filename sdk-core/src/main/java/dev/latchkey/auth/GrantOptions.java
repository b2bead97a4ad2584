package dev.latchkey.auth;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code scope}, {@code audience} and {@code resource} parameters shared by the grant builders,
 * added to every request, so a refresh requests exactly what the first request did.
 */
final class GrantOptions {

  private final Set<String> scopes = new LinkedHashSet<>();
  private final List<String> audiences = new ArrayList<>();
  private final List<String> resources = new ArrayList<>();

  void addScopes(String... values) {
    for (String scope : values) {
      Objects.requireNonNull(scope, "scope");
      if (scope.isBlank() || scope.contains(" ") || scope.contains("\"") || scope.contains("\\")) {
        throw new IllegalArgumentException("Invalid scope '" + scope
            + "': a scope is one non-empty token without spaces, quotes or backslashes (RFC 6749 section 3.3)");
      }
      scopes.add(scope);
    }
  }

  void addAudience(String audience) {
    Objects.requireNonNull(audience, "audience");
    if (audience.isBlank()) {
      throw new IllegalArgumentException("Invalid audience '': name the service the token is for");
    }
    audiences.add(audience);
  }

  void addResource(URI resource) {
    Objects.requireNonNull(resource, "resource");
    if (!resource.isAbsolute() || resource.getRawFragment() != null) {
      throw new IllegalArgumentException("Invalid resource '" + resource
          + "': it must be an absolute URI without a fragment (RFC 8707 section 2)");
    }
    resources.add(resource.toString());
  }

  /** Returns the grant parameters with {@code grant_type} first and these options added. */
  Map<String, List<String>> parameters(String grantType) {
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    parameters.put("grant_type", List.of(grantType));
    if (!scopes.isEmpty()) {
      parameters.put("scope", List.of(String.join(" ", scopes)));
    }
    if (!audiences.isEmpty()) {
      parameters.put("audience", List.copyOf(audiences));
    }
    if (!resources.isEmpty()) {
      parameters.put("resource", List.copyOf(resources));
    }
    return parameters;
  }

  GrantOptions copy() {
    GrantOptions copy = new GrantOptions();
    copy.scopes.addAll(scopes);
    copy.audiences.addAll(audiences);
    copy.resources.addAll(resources);
    return copy;
  }

  @Override
  public String toString() {
    return "scopes=" + scopes + ", audiences=" + audiences + ", resources=" + resources;
  }
}
