package dev.latchkey.azure.sas;

import dev.latchkey.azure.internal.AzureErrors;
import dev.latchkey.azure.internal.HttpDates;
import dev.latchkey.azure.internal.SafeXml;
import dev.latchkey.azure.internal.SasTimes;
import dev.latchkey.azure.internal.ServiceVersions;
import dev.latchkey.azure.internal.XmlElement;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets user delegation keys from Blob Storage (Get User Delegation Key: {@code POST
 * /?restype=service&comp=userdelegationkey}) with a Microsoft Entra bearer token for {@code
 * https://storage.azure.com/.default}.
 *
 * <p>The key is requested no longer than the token lives, so a SAS signed with it never outlives
 * the token it derives from. With {@link Builder#delegatedUserTenantId} set, the request body names
 * the tenant of the end user ({@code DelegatedUserTid}), for a user delegation SAS that a user of
 * another tenant presents ({@code skdutid}, service version 2025-07-05 and later). Requests go only
 * over HTTPS, because they carry the bearer token.
 * Thread-safe; the shared {@link OkHttpClient} is not closed by this class.
 */
public final class UserDelegationKeyClient {

  private static final Logger logger = LoggerFactory.getLogger(UserDelegationKeyClient.class);

  /** The maximum validity of a user delegation key: 7 days. */
  public static final java.time.Duration MAX_KEY_LIFETIME = java.time.Duration.ofDays(7);

  private static final int MAX_BODY_BYTES = 64 * 1024;
  private static final MediaType XML = MediaType.get("application/xml; charset=utf-8");

  private final URI endpoint;
  private final OkHttpClient httpClient;
  private final String serviceVersion;
  private final InstantSource clock;
  private final String delegatedUserTenantId;

  private UserDelegationKeyClient(Builder builder) {
    this.endpoint = builder.endpoint;
    this.httpClient = builder.httpClient;
    this.serviceVersion = builder.serviceVersion;
    this.clock = builder.clock;
    this.delegatedUserTenantId = builder.delegatedUserTenantId;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Gets a key valid from {@code start} to {@code expiry}, or to the token's expiry if that is
   * earlier.
   *
   * @throws IllegalArgumentException if the token is not a bearer token, the expiry is not after the
   *     start, or the validity is longer than 7 days
   * @throws StorageException if the service rejects the request or cannot be reached
   */
  public UserDelegationKey fetch(AccessToken token, Instant start, Instant expiry) {
    Objects.requireNonNull(token, "token");
    Instant cappedExpiry = capExpiry(token, Objects.requireNonNull(expiry, "expiry"));
    checkValidity(Objects.requireNonNull(start, "start"), cappedExpiry);

    Request request = new Request.Builder()
        .url(endpoint.toString() + "/?restype=service&comp=userdelegationkey")
        .header("Authorization", "Bearer " + token.token().reveal())
        .header("x-ms-version", serviceVersion)
        .header("x-ms-date", HttpDates.format(clock.instant()))
        .post(RequestBody.create(keyInfo(start, cappedExpiry), XML))
        .build();
    logger.debug("Requesting a user delegation key from {} for token {}, valid until {}",
        endpoint, token.id(), cappedExpiry);
    return send(request);
  }

  private UserDelegationKey send(Request request) {
    try (Response response = httpClient.newCall(request).execute()) {
      if (!response.isSuccessful()) {
        throw AzureErrors.fromResponse(response, "Get User Delegation Key", List.of(), clock.instant());
      }
      return checkDelegatedUserTenant(parse(readBounded(response)), response.header("x-ms-request-id"));
    } catch (IOException e) {
      throw AzureErrors.fromIoException(e, "Get User Delegation Key");
    }
  }

  /**
   * Checks that the key names the delegated user tenant the request named. A key for another tenant
   * is an invalid response. A key without one is returned with a warning, because a SAS signed with
   * it carries no {@code skdutid}: Azurite 3.35.0 returns no {@code SignedDelegatedUserTid}.
   */
  UserDelegationKey checkDelegatedUserTenant(UserDelegationKey key, String requestId) {
    String returned = key.signedDelegatedUserTenantId();
    if (delegatedUserTenantId == null || delegatedUserTenantId.equalsIgnoreCase(returned)) {
      return key;
    }
    if (returned == null) {
      logger.warn("Get User Delegation Key returned no SignedDelegatedUserTid although the request named delegated"
          + " user tenant {}, so a SAS signed with this key carries no skdutid (x-ms-request-id {})",
          delegatedUserTenantId, requestId);
      return key;
    }
    throw new StorageException("Invalid Get User Delegation Key response: the key names delegated user tenant "
        + returned + ", but the request named " + delegatedUserTenantId, 200, null, requestId, null, false);
  }

  private static byte[] readBounded(Response response) throws IOException {
    try (InputStream in = response.body().byteStream()) {
      byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
      if (bytes.length > MAX_BODY_BYTES) {
        throw new StorageException("Invalid Get User Delegation Key response: larger than " + MAX_BODY_BYTES
            + " bytes", response.code(), null, response.header("x-ms-request-id"), null, false);
      }
      return bytes;
    }
  }

  /**
   * Parses the {@code UserDelegationKey} document of a response. {@code SignedDelegatedUserTid} is
   * optional, because the service returns it only for a request with {@code DelegatedUserTid}.
   */
  static UserDelegationKey parse(byte[] body) {
    try {
      XmlElement root = SafeXml.parse(body);
      return new UserDelegationKey(
          required(root, "SignedOid"), required(root, "SignedTid"),
          Instant.parse(required(root, "SignedStart")), Instant.parse(required(root, "SignedExpiry")),
          required(root, "SignedService"), required(root, "SignedVersion"), optional(root, "SignedDelegatedUserTid"),
          SecretValue.of(required(root, "Value")));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new StorageException("Invalid Get User Delegation Key response: " + e.getMessage(), 200, null, null, e,
          false);
    }
  }

  private static String required(XmlElement root, String name) {
    String value = root.childText(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("the element " + name + " is missing");
    }
    return value.trim();
  }

  private static String optional(XmlElement root, String name) {
    String value = root.childText(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static Instant capExpiry(AccessToken token, Instant expiry) {
    if (!token.isBearer()) {
      throw new IllegalArgumentException("Invalid token type '" + token.tokenType()
          + "' for Get User Delegation Key: use a Bearer token for https://storage.azure.com/.default");
    }
    Instant tokenExpiry = token.expiresAt().orElse(null);
    return tokenExpiry != null && tokenExpiry.isBefore(expiry) ? tokenExpiry : expiry;
  }

  private static void checkValidity(Instant start, Instant expiry) {
    if (!expiry.isAfter(start)) {
      throw new IllegalArgumentException("Invalid user delegation key validity " + start + " to " + expiry
          + ": the expiry (capped at the token's expiry) must be after the start");
    }
    if (java.time.Duration.between(start, expiry).compareTo(MAX_KEY_LIFETIME) > 0) {
      throw new IllegalArgumentException("Invalid user delegation key validity " + start + " to " + expiry
          + ": Blob Storage grants at most 7 days");
    }
  }

  /** Returns the {@code KeyInfo} request body. The tenant id is a checked GUID, so it needs no XML escaping. */
  String keyInfo(Instant start, Instant expiry) {
    String tenant = delegatedUserTenantId == null ? ""
        : "<DelegatedUserTid>" + delegatedUserTenantId + "</DelegatedUserTid>";
    return "<?xml version=\"1.0\" encoding=\"utf-8\"?><KeyInfo><Start>" + SasTimes.format(start)
        + "</Start><Expiry>" + SasTimes.format(expiry) + "</Expiry>" + tenant + "</KeyInfo>";
  }

  @Override
  public String toString() {
    return "UserDelegationKeyClient[" + endpoint + "]";
  }

  /** Builder for {@link UserDelegationKeyClient}; not thread-safe. */
  public static final class Builder {
    private URI endpoint;
    private OkHttpClient httpClient;
    private String serviceVersion = SasGrant.DEFAULT_VERSION;
    private InstantSource clock = InstantSource.system();
    private String delegatedUserTenantId;

    private Builder() {}

    /**
     * Sets the Blob service endpoint, such as {@code https://account.blob.core.windows.net} or, for
     * the emulator, {@code https://127.0.0.1:10000/devstoreaccount1}.
     *
     * @throws IllegalArgumentException if it is not an absolute HTTPS URI without query
     */
    public Builder endpoint(URI endpoint) {
      Objects.requireNonNull(endpoint, "endpoint");
      if (!"https".equalsIgnoreCase(endpoint.getScheme()) || endpoint.getHost() == null
          || endpoint.getRawQuery() != null) {
        throw new IllegalArgumentException("Invalid endpoint '" + endpoint
            + "': use an https:// URI without query, because the request carries a bearer token");
      }
      String text = endpoint.toString();
      this.endpoint = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
      return this;
    }

    /** Sets the shared HTTP client. */
    public Builder httpClient(OkHttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /** Sets {@code x-ms-version}; {@code 2025-11-05} by default. */
    public Builder serviceVersion(String serviceVersion) {
      this.serviceVersion = ServiceVersions.check("serviceVersion", serviceVersion);
      return this;
    }

    /** Sets the clock for {@code x-ms-date}; the system clock by default. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the Microsoft Entra tenant of the end user who will present a SAS signed with the keys,
     * sent as {@code DelegatedUserTid} in the request body. Set it only when that user belongs to
     * another tenant than the storage account. The service returns the tenant in the key ({@link
     * UserDelegationKey#signedDelegatedUserTenantId}), and {@link BlobSas} signs and sends it as
     * {@code skdutid}. A response that names another tenant is rejected. A response without one
     * is accepted with a warning in the log. Needs service version 2025-07-05 or later.
     *
     * @throws IllegalArgumentException if it is not a GUID
     */
    public Builder delegatedUserTenantId(String tenantId) {
      this.delegatedUserTenantId = Guids.check("delegatedUserTenantId", tenantId);
      return this;
    }

    /**
     * Builds the client.
     *
     * @throws IllegalStateException if the endpoint or the HTTP client is missing, or if a delegated
     *     user tenant id is set with a service version before 2025-07-05
     */
    public UserDelegationKeyClient build() {
      if (endpoint == null || httpClient == null) {
        throw new IllegalStateException("A user delegation key client needs endpoint(...) and httpClient(...)");
      }
      if (delegatedUserTenantId != null && serviceVersion.compareTo(BlobSas.V2025_07_05) < 0) {
        throw new IllegalStateException("Invalid service version " + serviceVersion
            + " with a delegated user tenant id: use " + BlobSas.V2025_07_05 + " or later");
      }
      return new UserDelegationKeyClient(this);
    }
  }
}
