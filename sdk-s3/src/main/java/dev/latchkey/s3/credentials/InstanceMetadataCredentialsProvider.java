package dev.latchkey.s3.credentials;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialNotConfiguredException;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.s3.internal.credentials.CredentialsJson;
import dev.latchkey.s3.internal.credentials.Endpoints;
import dev.latchkey.s3.internal.credentials.ResponseBodies;
import dev.latchkey.s3.internal.credentials.RetryingCaller;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Proxy;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the credentials of the IAM role attached to an EC2 instance from the instance metadata
 * service, version 2 (IMDSv2).
 *
 * <p>Each {@link #fetch()} makes three requests: {@code PUT /latest/api/token} with the header {@code
 * X-aws-ec2-metadata-token-ttl-seconds} for a session token, then {@code GET
 * /latest/meta-data/iam/security-credentials/} for the role name, then a {@code GET} of that role for
 * its credentials. Responses with HTTP 429 and 5xx are retried with exponential backoff, and a wait
 * is at least the response's {@code Retry-After} (delay-seconds or HTTP date), capped at {@link
 * Builder#maxRetryDelay(Duration)}.
 *
 * <p>Outside EC2 nothing listens at the link-local address, so the connection fails within the
 * connect timeout (1 second by default) and the provider throws {@link
 * CredentialNotConfiguredException}, as it does when {@code AWS_EC2_METADATA_DISABLED} is {@code
 * true} or the instance has no role. Any failure of the session token request before a response
 * arrives (no connection, a connection closed at once, no response headers within the read timeout)
 * is taken as "no IMDS here". Once IMDS has responded, a failed connection is a retryable {@link
 * CredentialException}. Bodies are read up to 64 KiB, and each request must end within the call
 * timeout (10 seconds by default), so an endpoint that trickles its body cannot hold a fetch. The
 * endpoint is {@code http://169.254.169.254}, or {@code AWS_EC2_METADATA_SERVICE_ENDPOINT}, or the
 * one set on the builder.
 *
 * <p>Note: the provider does not fall back to IMDSv1, which needs no session token.
 *
 * <p>Immutable and thread-safe.
 */
public final class InstanceMetadataCredentialsProvider implements CredentialProvider<AwsCredentials> {

  /** The documented IMDS endpoint. */
  public static final URI DEFAULT_ENDPOINT = URI.create("http://169.254.169.254");

  private static final Logger LOG = LoggerFactory.getLogger(InstanceMetadataCredentialsProvider.class);
  private static final Set<String> IMDS_HOSTS = Set.of("169.254.169.254", "fd00:ec2::254");
  private static final String SOURCE = "EC2 instance metadata service";
  private static final String CREDENTIALS_PATH = "latest/meta-data/iam/security-credentials/";
  /** An IAM role name, as the IAM API reference defines RoleName: 1 to 64 of these characters. */
  private static final Pattern ROLE_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");
  /** A session token that can be sent as a header value: visible ASCII without spaces. */
  private static final Pattern SESSION_TOKEN = Pattern.compile("[\\x21-\\x7e]+");

  private final HttpUrl endpoint;
  private final boolean disabled;
  private final long tokenTtlSeconds;
  private final RetryingCaller caller;

  private InstanceMetadataCredentialsProvider(Builder builder, URI endpoint, boolean disabled) {
    this.endpoint = HttpUrl.get(endpoint.toString());
    this.disabled = disabled;
    this.tokenTtlSeconds = builder.tokenTtl.toSeconds();
    OkHttpClient client = builder.httpClient.newBuilder()
        .connectTimeout(builder.connectTimeout)
        .readTimeout(builder.readTimeout)
        .callTimeout(builder.callTimeout)
        .proxy(Proxy.NO_PROXY)
        .followRedirects(false)
        .build();
    this.caller = new RetryingCaller(client, builder.maxAttempts, builder.retryBackoff, builder.maxRetryDelay,
        builder.sleeper, builder.clock);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Fetches the role's credentials.
   *
   * @throws CredentialNotConfiguredException if IMDS is disabled, does not respond, or the instance has
   *     no IAM role
   * @throws CredentialException if IMDS returned an error or a document that cannot be parsed;
   *     retryable for 401, 429, 5xx and for connections that fail after IMDS first responded, not
   *     retryable for a body over 64 KiB or one that is not what IMDS sends
   */
  @Override
  public AwsCredentials fetch() {
    if (disabled) {
      throw new CredentialNotConfiguredException("AWS_EC2_METADATA_DISABLED is true");
    }
    String token = sessionToken();

    String roleName = roleName(token);
    String document = get(CREDENTIALS_PATH + roleName, token, "the credentials of role " + roleName);
    AwsCredentials credentials = CredentialsJson.parse(document, SOURCE);
    LOG.debug("Fetched credentials {} of role {} from {}", credentials.accessKeyId(), roleName, endpoint);
    return credentials;
  }

  @Override
  public String name() {
    return "instance-metadata";
  }

  @Override
  public String toString() {
    return "InstanceMetadataCredentialsProvider[endpoint=" + endpoint + "]";
  }

  private String sessionToken() {
    Request request = new Request.Builder()
        .url(endpoint.resolve("latest/api/token"))
        .put(RequestBody.create(new byte[0]))
        .header("X-aws-ec2-metadata-token-ttl-seconds", Long.toString(tokenTtlSeconds))
        .build();
    Response response;
    try {
      response = caller.execute(request, SOURCE);
    } catch (IOException e) {
      throw new CredentialNotConfiguredException(
          SOURCE + " at " + endpoint + " did not respond (" + e.getMessage() + "); this host is not an EC2"
              + " instance, or IMDS is blocked");
    }
    try (response) {
      String body = ResponseBodies.readUtf8(response, SOURCE);
      requireSuccess(response, "a session token");
      return checkedSessionToken(body.strip());
    } catch (IOException e) {
      throw readFailure("a session token", e);
    }
  }

  /** Returns the token if it can be sent as a header value. The rejection message leaves the token out. */
  private static String checkedSessionToken(String token) {
    if (!SESSION_TOKEN.matcher(token).matches()) {
      throw new CredentialException(SOURCE + " returned a session token of " + token.length()
          + " characters that is not visible ASCII text; check the endpoint URL", false);
    }
    return token;
  }

  private String roleName(String token) {
    String listing = get(CREDENTIALS_PATH, token, "the role name");
    String roleName = listing.lines().map(String::strip).filter(line -> !line.isEmpty()).findFirst()
        .orElseThrow(() -> new CredentialNotConfiguredException(
            SOURCE + " lists no IAM role: attach an instance profile to the instance"));
    if (!ROLE_NAME.matcher(roleName).matches()) {
      throw new CredentialException(SOURCE + " listed a role name of " + roleName.length()
          + " characters that is not a valid IAM role name; check the endpoint URL", false);
    }
    return roleName;
  }

  private String get(String path, String token, String description) {
    Request request = new Request.Builder()
        .url(endpoint.resolve(path))
        .header("X-aws-ec2-metadata-token", token)
        .build();
    try (Response response = caller.execute(request, SOURCE)) {
      if (response.code() == 404 && path.equals(CREDENTIALS_PATH)) {
        throw new CredentialNotConfiguredException(
            SOURCE + " has no IAM role for this instance: attach an instance profile");
      }
      String body = ResponseBodies.readUtf8(response, SOURCE);
      requireSuccess(response, description);
      return body;
    } catch (IOException e) {
      throw readFailure(description, e);
    }
  }

  /** Returns the retryable failure of a request to IMDS that failed after IMDS first responded. */
  private static CredentialException readFailure(String description, IOException e) {
    String outcome = e instanceof InterruptedIOException ? " timed out while reading " : " failed while reading ";
    return new CredentialException(SOURCE + outcome + description + ": " + e.getMessage(), e, true);
  }

  private static void requireSuccess(Response response, String description) {
    if (!response.isSuccessful()) {
      boolean retryable = response.code() == 429 || response.code() >= 500 || response.code() == 401;
      throw new CredentialException(
          SOURCE + " returned HTTP " + response.code() + " to the request for " + description, retryable);
    }
  }

  /** Builder for {@link InstanceMetadataCredentialsProvider}; not thread-safe. */
  public static final class Builder {
    private URI endpoint;
    private Map<String, String> environment = System.getenv();
    private Duration connectTimeout = Duration.ofSeconds(1);
    private Duration readTimeout = Duration.ofSeconds(1);
    private Duration callTimeout = Duration.ofSeconds(10);
    private Duration tokenTtl = Duration.ofHours(6);
    private int maxAttempts = 3;
    private Duration retryBackoff = Duration.ofMillis(100);
    private Duration maxRetryDelay = Duration.ofSeconds(5);
    private OkHttpClient httpClient = new OkHttpClient();
    private RetryingCaller.Sleeper sleeper = RetryingCaller.Sleeper.THREAD;
    private InstantSource clock = InstantSource.system();

    private Builder() {}

    /**
     * Sets the IMDS endpoint, such as {@code http://169.254.169.254} or {@code http://[fd00:ec2::254]}.
     * Plain HTTP is allowed only to those addresses and to loopback. Default: {@code
     * AWS_EC2_METADATA_SERVICE_ENDPOINT}, or {@link #DEFAULT_ENDPOINT}.
     *
     * @throws IllegalArgumentException if the URI is not one of those
     */
    public Builder endpoint(URI endpoint) {
      this.endpoint = checkEndpoint(Objects.requireNonNull(endpoint, "endpoint"), "IMDS endpoint");
      return this;
    }

    /**
     * Sets the variables read for {@code AWS_EC2_METADATA_DISABLED} and {@code
     * AWS_EC2_METADATA_SERVICE_ENDPOINT}; default {@link System#getenv()}.
     */
    public Builder environment(Map<String, String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /**
     * Sets how long to wait for a connection; default 1 second. Keep it short, because on a host
     * outside EC2 every fetch waits this long before it reports "not configured".
     *
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive(connectTimeout, "connectTimeout");
      return this;
    }

    /**
     * Sets how long to wait for each response; default 1 second.
     *
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder readTimeout(Duration readTimeout) {
      this.readTimeout = positive(readTimeout, "readTimeout");
      return this;
    }

    /**
     * Sets how long each request may take from connecting to reading the whole body; default 10
     * seconds. It stops an endpoint that sends its body a few bytes at a time, each within the read
     * timeout.
     *
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder callTimeout(Duration callTimeout) {
      this.callTimeout = positive(callTimeout, "callTimeout");
      return this;
    }

    /**
     * Sets the lifetime requested for the IMDS session token, in whole seconds from 1 to 21600;
     * default 6 hours.
     *
     * @throws IllegalArgumentException if it is outside that range
     */
    public Builder tokenTtl(Duration tokenTtl) {
      long seconds = Objects.requireNonNull(tokenTtl, "tokenTtl").toSeconds();
      if (seconds < 1 || seconds > 21_600) {
        throw new IllegalArgumentException(
            "Invalid tokenTtl " + tokenTtl + ": IMDS accepts 1 to 21600 seconds");
      }
      this.tokenTtl = tokenTtl;
      return this;
    }

    /**
     * Sets how many times a request is sent when IMDS responds with 429 or 5xx; default 3.
     *
     * @throws IllegalArgumentException if it is less than 1
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("Invalid maxAttempts " + maxAttempts + ": it must be at least 1");
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Sets the wait before the first retry, doubled for each later one; default 100 ms.
     *
     * @throws IllegalArgumentException if it is negative
     */
    public Builder retryBackoff(Duration retryBackoff) {
      if (Objects.requireNonNull(retryBackoff, "retryBackoff").isNegative()) {
        throw new IllegalArgumentException("Invalid retryBackoff " + retryBackoff + ": it must not be negative");
      }
      this.retryBackoff = retryBackoff;
      return this;
    }

    /**
     * Sets the longest wait between attempts, including a {@code Retry-After} that IMDS requests;
     * default 5 seconds. It must be at least {@link #retryBackoff(Duration)}.
     *
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder maxRetryDelay(Duration maxRetryDelay) {
      this.maxRetryDelay = positive(maxRetryDelay, "maxRetryDelay");
      return this;
    }

    /** Sets how to wait between retries; for tests in this package that record the waits. */
    Builder sleeper(RetryingCaller.Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** Sets the clock that the date form of {@code Retry-After} is measured from; for tests in this package. */
    Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the client whose connection pool and dispatcher are shared; the provider sets its own
     * timeouts, no proxy and no redirects on a derived client.
     */
    public Builder httpClient(OkHttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /**
     * Builds the provider.
     *
     * @throws IllegalArgumentException if {@code AWS_EC2_METADATA_SERVICE_ENDPOINT} is not an
     *     allowed endpoint, or {@code retryBackoff} is longer than {@code maxRetryDelay}
     */
    public InstanceMetadataCredentialsProvider build() {
      if (retryBackoff.compareTo(maxRetryDelay) > 0) {
        throw new IllegalArgumentException("Invalid retryBackoff " + retryBackoff + ": it must not be longer than"
            + " maxRetryDelay " + maxRetryDelay);
      }
      boolean disabled = "true".equals(
          environment.getOrDefault("AWS_EC2_METADATA_DISABLED", "").strip().toLowerCase(Locale.ROOT));
      URI resolved = endpoint;
      String fromEnvironment = environment.get("AWS_EC2_METADATA_SERVICE_ENDPOINT");
      if (resolved == null && fromEnvironment != null && !fromEnvironment.isBlank()) {
        resolved = checkEndpoint(URI.create(fromEnvironment.strip()), "AWS_EC2_METADATA_SERVICE_ENDPOINT");
      }
      return new InstanceMetadataCredentialsProvider(this, resolved == null ? DEFAULT_ENDPOINT : resolved, disabled);
    }

    private static URI checkEndpoint(URI endpoint, String option) {
      URI checked = Endpoints.requireSecure(endpoint, option, IMDS_HOSTS);
      return checked.getRawPath() == null || checked.getRawPath().isEmpty() ? checked.resolve("/") : checked;
    }

    private static Duration positive(Duration value, String option) {
      if (Objects.requireNonNull(value, option).isNegative() || value.isZero()) {
        throw new IllegalArgumentException("Invalid " + option + " " + value + ": it must be positive");
      }
      return value;
    }
  }
}
