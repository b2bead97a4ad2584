package dev.latchkey.azure.internal.identity;

import dev.latchkey.credentials.SecretValue;
import java.util.Objects;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * One of the two managed identity token endpoints and how to call it.
 *
 * <p>The VM Instance Metadata Service (IMDS) takes API version 2018-02-01 and the header {@code
 * Metadata: true}. The App Service and Functions endpoint (from {@code IDENTITY_ENDPOINT}) takes API
 * version 2019-08-01 and the header {@code X-IDENTITY-HEADER} with the value of {@code
 * IDENTITY_HEADER}. Both take the resource and, for a user-assigned identity, one id.
 *
 * @param kind which endpoint this is
 * @param url the token URL, without query
 * @param identityHeader the {@code X-IDENTITY-HEADER} value for App Service; {@code null} for IMDS
 */
public record ManagedIdentityEndpoint(Kind kind, HttpUrl url, SecretValue identityHeader) {

  /** The supported endpoint kinds. */
  public enum Kind {
    IMDS("IMDS", "2018-02-01"),
    APP_SERVICE("App Service", "2019-08-01");

    private final String displayName;
    private final String apiVersion;

    Kind(String displayName, String apiVersion) {
      this.displayName = displayName;
      this.apiVersion = apiVersion;
    }

    public String displayName() {
      return displayName;
    }
  }

  public ManagedIdentityEndpoint {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(url, "url");
    if ((kind == Kind.APP_SERVICE) != (identityHeader != null)) {
      throw new IllegalArgumentException("An App Service endpoint needs its identity header, IMDS none");
    }
  }

  /** Creates the VM Instance Metadata Service endpoint at {@code url}. */
  public static ManagedIdentityEndpoint imds(HttpUrl url) {
    return new ManagedIdentityEndpoint(Kind.IMDS, url, null);
  }

  /** Creates the App Service and Functions endpoint at {@code url} with its identity header. */
  public static ManagedIdentityEndpoint appService(HttpUrl url, SecretValue identityHeader) {
    return new ManagedIdentityEndpoint(Kind.APP_SERVICE, url, identityHeader);
  }

  /** Builds the token request for {@code resource} and the optional user-assigned identity. */
  public Request tokenRequest(String resource, Optional<ManagedIdentityId> identity) {
    HttpUrl.Builder query = url.newBuilder()
        .addQueryParameter("api-version", kind.apiVersion)
        .addQueryParameter("resource", resource);
    identity.ifPresent(id -> query.addQueryParameter(parameterFor(id.type()), id.value()));

    Request.Builder request = new Request.Builder().url(query.build()).get();
    if (kind == Kind.IMDS) {
      request.header("Metadata", "true");
    } else {
      request.header("X-IDENTITY-HEADER", identityHeader.reveal());
    }
    return request.build();
  }

  /**
   * Returns whether a response status may go away when the request is sent again.
   *
   * <p>Azure documents IMDS 404 and 410 as "IMDS is updating", and 429 and 5xx as throttling and
   * transient errors, all to be retried with exponential backoff. The App Service endpoint is
   * retried on 429 and 5xx only.
   */
  public boolean isRetryable(int status) {
    boolean transientStatus = status == 429 || (status >= 500 && status <= 599);
    boolean imdsUpdating = kind == Kind.IMDS && (status == 404 || status == 410);
    return transientStatus || imdsUpdating;
  }

  private String parameterFor(ManagedIdentityId.Type type) {
    return kind == Kind.IMDS ? type.imdsParameter() : type.appServiceParameter();
  }

  @Override
  public String toString() {
    return kind.displayName + " " + url;
  }
}
