package dev.latchkey.azure;

import dev.latchkey.azure.internal.HmacSha256;
import dev.latchkey.azure.internal.HttpDates;
import dev.latchkey.azure.internal.KeyedHmac;
import dev.latchkey.azure.internal.ServiceVersions;
import dev.latchkey.azure.internal.SharedKeyLayout;
import dev.latchkey.azure.internal.SharedKeyStrings;
import dev.latchkey.azure.internal.SigningBuffer;
import dev.latchkey.credentials.SharedKey;
import dev.latchkey.signing.RequestSigner;
import dev.latchkey.signing.SignableRequest;
import dev.latchkey.signing.SignableRequest.Header;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Signs Azure Storage requests with an account key: Shared Key (the default) or Shared Key Lite
 * authorization, as Microsoft's "Authorize with Shared Key" reference defines them for the Blob,
 * Queue and File services.
 *
 * <p>{@link #sign} sets {@code x-ms-date} to the signing time, adds {@code x-ms-version} when the
 * request has none, and adds {@code Authorization: SharedKey account:signature}. The request URI
 * must be exactly what will be sent: the signature covers the percent-encoded path and the decoded
 * query parameters. Both account-host URLs ({@code https://account.blob.core.windows.net/c/b}) and
 * path-style URLs ({@code http://127.0.0.1:10000/account/c/b}, as the emulator uses) work, because
 * the path is signed as sent. Set {@code Content-Length} on the request when the body is not held in
 * memory, since it is part of the signature.
 *
 * <p>Immutable and thread-safe. The HMAC of each account key in use is prepared once and kept while
 * the key's {@link dev.latchkey.credentials.SecretValue} object is reachable, so signing does not
 * decode the key or set up HMAC again for each request. The string to sign is built in a per-thread
 * buffer. A thread that signs a second request whose header names are the same String objects
 * (typically constants) keeps what those names decide for the string to sign. Values that are the
 * same objects as last time are then copied as bytes rather than encoded again.
 */
public final class SharedKeySigner implements RequestSigner<SharedKey> {

  /** The {@code x-ms-version} added to requests without one: the newest version Azurite 3.35.0 accepts. */
  public static final String DEFAULT_SERVICE_VERSION = "2025-11-05";

  /** The two forms of account-key authorization. */
  public enum Scheme {
    /** {@code SharedKey}: all standard headers and the full canonicalized resource are signed. */
    SHARED_KEY("SharedKey"),
    /** {@code SharedKeyLite}: only Content-MD5, Content-Type, Date and the {@code comp} parameter. */
    SHARED_KEY_LITE("SharedKeyLite");

    private final String label;

    Scheme(String label) {
      this.label = label;
    }

    /** Returns the scheme name in the {@code Authorization} header. */
    public String label() {
      return label;
    }
  }

  private final String serviceVersion;
  private final Scheme scheme;
  private final Header versionHeader;
  /** The {@code x-ms-date} header of the last signature; requests signed in the same second share it. */
  private volatile Header lastDateHeader = new Header("x-ms-date", "-");

  private SharedKeySigner(Builder builder) {
    this.serviceVersion = builder.serviceVersion;
    this.scheme = builder.scheme;
    this.versionHeader = new Header("x-ms-version", serviceVersion);
  }

  /** Returns a Shared Key signer that adds {@link #DEFAULT_SERVICE_VERSION} where it is missing. */
  public static SharedKeySigner create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns {@code request} with {@code x-ms-date}, {@code x-ms-version} (if it had none) and the
   * {@code Authorization} header set.
   */
  @Override
  public SignableRequest sign(SignableRequest request, SharedKey credential, Instant signingTime) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(credential, "credential");
    Objects.requireNonNull(signingTime, "signingTime");

    String date = HttpDates.format(signingTime);
    SigningBuffer buffer = SigningBuffer.current();
    HmacSha256 hmac = KeyedHmac.forBase64Key(credential.accountKey());
    SharedKeyLayout layout = scheme == Scheme.SHARED_KEY ? SharedKeyLayout.of(buffer, request.headers()) : null;
    if (layout != null) {
      String addedVersion = layout.hasVersionHeader() ? null : serviceVersion;
      layout.writeStringToSign(buffer, request, credential.accountName(), date, addedVersion);
      String authorization = buffer.signAndFormatAuthorization(hmac, scheme.label, credential.accountName());
      List<Header> headers = layout.signedHeaders(request.headers(), dateHeader(date),
          addedVersion == null ? null : versionHeader, new Header("Authorization", authorization));
      return request.withHeaders(headers);
    }
    String addedVersion = hasVersionHeader(request) ? null : serviceVersion;
    if (scheme == Scheme.SHARED_KEY) {
      SharedKeyStrings.writeStringToSign(buffer, request, credential.accountName(), date, addedVersion);
    } else {
      SharedKeyStrings.writeLiteStringToSign(buffer, withDate(request, date, addedVersion), credential.accountName());
    }
    String authorization = buffer.signAndFormatAuthorization(hmac, scheme.label, credential.accountName());
    return signedRequest(request, date, addedVersion, authorization);
  }

  /**
   * Returns {@code request} with every {@code x-ms-date} and {@code Authorization} header replaced
   * by the new ones, added after the others together with {@code x-ms-version} when it was missing.
   */
  private SignableRequest signedRequest(SignableRequest request, String date, String addedVersion,
      String authorization) {
    List<Header> original = request.headers();
    int keptCount = 0;
    for (Header header : original) {
      if (!isReplaced(header.name())) {
        keptCount++;
      }
    }
    Header[] headers = new Header[keptCount + (addedVersion == null ? 2 : 3)];
    int count = 0;
    for (Header header : original) {
      if (!isReplaced(header.name())) {
        headers[count++] = header;
      }
    }
    headers[count++] = dateHeader(date);
    if (addedVersion != null) {
      headers[count++] = versionHeader;
    }
    headers[count] = new Header("Authorization", authorization);
    return request.withHeaders(List.of(headers));
  }

  private Header dateHeader(String date) {
    Header cached = lastDateHeader;
    if (cached.value().equals(date)) {
      return cached;
    }
    Header header = new Header("x-ms-date", date);
    lastDateHeader = header;
    return header;
  }

  /** Returns whether the request has {@code x-ms-version}, without the {@code Optional} of {@code firstHeader}. */
  private static boolean hasVersionHeader(SignableRequest request) {
    for (Header header : request.headers()) {
      if (header.name().equalsIgnoreCase("x-ms-version")) {
        return true;
      }
    }
    return false;
  }

  private static boolean isReplaced(String headerName) {
    return headerName.equalsIgnoreCase("x-ms-date") || headerName.equalsIgnoreCase("Authorization");
  }

  /**
   * Returns the string to sign of {@code request} as it is, without adding any header. Useful to
   * compare with the string a server logged when it rejected a signature.
   */
  public String stringToSign(SignableRequest request, String accountName) {
    return scheme == Scheme.SHARED_KEY
        ? SharedKeyStrings.stringToSign(request, accountName)
        : SharedKeyStrings.liteStringToSign(request, accountName);
  }

  private static SignableRequest withDate(SignableRequest request, String date, String addedVersion) {
    SignableRequest.Builder builder = request.toBuilder().setHeader("x-ms-date", date);
    if (addedVersion != null) {
      builder.addHeader("x-ms-version", addedVersion);
    }
    return builder.build();
  }

  /** Returns the service version added to requests without {@code x-ms-version}. */
  public String serviceVersion() {
    return serviceVersion;
  }

  public Scheme scheme() {
    return scheme;
  }

  @Override
  public String toString() {
    return "SharedKeySigner[scheme=" + scheme.label + ", serviceVersion=" + serviceVersion + "]";
  }

  /** Builder for {@link SharedKeySigner}; not thread-safe. */
  public static final class Builder {
    private String serviceVersion = DEFAULT_SERVICE_VERSION;
    private Scheme scheme = Scheme.SHARED_KEY;

    private Builder() {}

    /**
     * Sets the {@code x-ms-version} added to requests without one; {@link #DEFAULT_SERVICE_VERSION}
     * by default.
     *
     * @throws IllegalArgumentException if it is not a date such as {@code 2025-11-05}
     */
    public Builder serviceVersion(String serviceVersion) {
      this.serviceVersion = ServiceVersions.check("serviceVersion", serviceVersion);
      return this;
    }

    /** Sets the authorization scheme; {@link Scheme#SHARED_KEY} by default. */
    public Builder scheme(Scheme scheme) {
      this.scheme = Objects.requireNonNull(scheme, "scheme");
      return this;
    }

    public SharedKeySigner build() {
      return new SharedKeySigner(this);
    }
  }
}
