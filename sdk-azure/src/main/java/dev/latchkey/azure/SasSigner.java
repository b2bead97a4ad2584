package dev.latchkey.azure;

import dev.latchkey.azure.internal.ServiceVersions;
import dev.latchkey.credentials.SasToken;
import dev.latchkey.signing.RequestSigner;
import dev.latchkey.signing.SignableRequest;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * Authorizes Azure Storage requests with a shared access signature: appends the SAS token to the
 * request's query and adds {@code x-ms-version} when the request has none.
 *
 * <p>The SAS carries its own start and expiry, so the signing time is not used. The returned
 * request's URI contains the signature ({@code sig}); log it only through {@code
 * dev.latchkey.audit.Redactor}. Immutable and thread-safe.
 */
public final class SasSigner implements RequestSigner<SasToken> {

  private final String serviceVersion;

  private SasSigner(String serviceVersion) {
    this.serviceVersion = serviceVersion;
  }

  /** Returns a signer that adds {@link SharedKeySigner#DEFAULT_SERVICE_VERSION} where it is missing. */
  public static SasSigner create() {
    return new SasSigner(SharedKeySigner.DEFAULT_SERVICE_VERSION);
  }

  /**
   * Returns a signer that adds this {@code x-ms-version} where it is missing.
   *
   * @throws IllegalArgumentException if it is not a date such as {@code 2025-11-05}
   */
  public static SasSigner withServiceVersion(String serviceVersion) {
    return new SasSigner(ServiceVersions.check("serviceVersion", serviceVersion));
  }

  /**
   * Returns {@code request} with the SAS appended to its query.
   *
   * @throws IllegalArgumentException if the request's query already has a SAS signature
   */
  @Override
  public SignableRequest sign(SignableRequest request, SasToken credential, Instant signingTime) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(credential, "credential");
    URI uri = request.uri();
    String query = uri.getRawQuery();
    if (query != null && (query.startsWith("sig=") || query.contains("&sig="))) {
      throw new IllegalArgumentException("Invalid request " + request + ": its query already has a SAS signature");
    }
    String token = credential.token().reveal();
    String signedQuery = query == null || query.isEmpty() ? token : query + "&" + token;
    SignableRequest.Builder builder = request.toBuilder().uri(withQuery(uri, signedQuery));
    if (request.firstHeader("x-ms-version").isEmpty()) {
      builder.setHeader("x-ms-version", serviceVersion);
    }
    return builder.build();
  }

  private static URI withQuery(URI uri, String rawQuery) {
    String text = uri.toString();
    int queryStart = text.indexOf('?');
    String base = queryStart < 0 ? text : text.substring(0, queryStart);
    return URI.create(base + "?" + rawQuery);
  }

  @Override
  public String toString() {
    return "SasSigner[serviceVersion=" + serviceVersion + "]";
  }
}
