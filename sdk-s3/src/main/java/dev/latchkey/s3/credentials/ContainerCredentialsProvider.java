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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches credentials from the ECS task or EKS Pod Identity credential endpoint that the container
 * runtime announces in environment variables.
 *
 * <p>The endpoint is {@code http://169.254.170.2} followed by {@code
 * AWS_CONTAINER_CREDENTIALS_RELATIVE_URI}, or else {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}. A full
 * URI must use https, or http to a loopback address or to one of the link-local hosts that ECS and
 * EKS use ({@code 169.254.170.2}, {@code 169.254.170.23}, {@code fd00:ec2::23}). The {@code
 * Authorization} header is the content of {@code AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE}, read again
 * on every fetch because EKS rotates it, or else {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}.
 *
 * <p>The variables are read on every {@link #fetch()}; when neither URI variable is set the provider
 * throws {@link CredentialNotConfiguredException}. Responses with HTTP 429 and 5xx are retried with
 * exponential backoff, and a wait is at least the response's {@code Retry-After}, capped at {@link
 * Builder#maxRetryDelay(Duration)}. Bodies are read up to 64 KiB, and each request must end within
 * the call timeout (10 seconds by default), so an endpoint that trickles its body cannot hold a fetch.
 *
 * <p>Immutable and thread-safe.
 */
public final class ContainerCredentialsProvider implements CredentialProvider<AwsCredentials> {

  /** The base of {@code AWS_CONTAINER_CREDENTIALS_RELATIVE_URI} in ECS. */
  public static final URI DEFAULT_RELATIVE_BASE = URI.create("http://169.254.170.2");

  private static final Logger LOG = LoggerFactory.getLogger(ContainerCredentialsProvider.class);
  private static final Set<String> CONTAINER_HOSTS = Set.of("169.254.170.2", "169.254.170.23", "fd00:ec2::23");
  private static final String SOURCE = "container credential endpoint";

  private final Map<String, String> environment;
  private final URI relativeBase;
  private final RetryingCaller caller;

  private ContainerCredentialsProvider(Builder builder) {
    this.environment = builder.environment;
    this.relativeBase = builder.relativeBase;
    OkHttpClient client = builder.httpClient.newBuilder()
        .connectTimeout(builder.timeout)
        .readTimeout(builder.timeout)
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
   * Fetches the task's or pod's credentials.
   *
   * @throws CredentialNotConfiguredException if neither URI variable is set
   * @throws CredentialException if a variable is invalid (not retryable), the token file cannot be
   *     read, or the endpoint fails or returns an error (retryable for I/O, 429 and 5xx)
   */
  @Override
  public AwsCredentials fetch() {
    URI uri = endpoint();
    Request.Builder request = new Request.Builder().url(uri.toString());
    String authorization = authorization();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }

    try (Response response = caller.execute(request.build(), SOURCE)) {
      String body = ResponseBodies.readUtf8(response, SOURCE);
      if (!response.isSuccessful()) {
        boolean retryable = response.code() == 429 || response.code() >= 500;
        throw new CredentialException(
            SOURCE + " " + redacted(uri) + " returned HTTP " + response.code(), retryable);
      }
      AwsCredentials credentials = CredentialsJson.parse(body, SOURCE);
      LOG.debug("Fetched credentials {} from {}", credentials.accessKeyId(), redacted(uri));
      return credentials;
    } catch (IOException e) {
      String outcome = e instanceof InterruptedIOException ? " timed out: " : " failed: ";
      throw new CredentialException(SOURCE + " " + redacted(uri) + outcome + e.getMessage(), e, true);
    }
  }

  @Override
  public String name() {
    return "container";
  }

  @Override
  public String toString() {
    return "ContainerCredentialsProvider";
  }

  private URI endpoint() {
    String relative = variable("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    if (relative != null) {
      String path = relative.startsWith("/") ? relative : "/" + relative;
      return URI.create(relativeBase.toString().replaceAll("/+$", "") + path);
    }
    String full = variable("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    if (full == null) {
      throw new CredentialNotConfiguredException(
          "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set");
    }
    try {
      return Endpoints.requireSecure(URI.create(full), "AWS_CONTAINER_CREDENTIALS_FULL_URI", CONTAINER_HOSTS);
    } catch (IllegalArgumentException e) {
      throw new CredentialException(e.getMessage(), e, false);
    }
  }

  private String authorization() {
    String file = variable("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    if (file == null) {
      return variable("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    }
    try {
      return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new CredentialException(
          "Cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE '" + file + "': " + e.getMessage(), e, true);
    }
  }

  private String variable(String name) {
    String value = environment.get(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  /** Returns the URI without its query, which some endpoints use for a credential. */
  private static String redacted(URI uri) {
    return uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
  }

  /** Builder for {@link ContainerCredentialsProvider}; not thread-safe. */
  public static final class Builder {
    private Map<String, String> environment = System.getenv();
    private URI relativeBase = DEFAULT_RELATIVE_BASE;
    private Duration timeout = Duration.ofSeconds(2);
    private Duration callTimeout = Duration.ofSeconds(10);
    private int maxAttempts = 3;
    private Duration retryBackoff = Duration.ofMillis(100);
    private Duration maxRetryDelay = Duration.ofSeconds(5);
    private OkHttpClient httpClient = new OkHttpClient();
    private RetryingCaller.Sleeper sleeper = RetryingCaller.Sleeper.THREAD;
    private InstantSource clock = InstantSource.system();

    private Builder() {}

    /** Sets the variables to read on each fetch; default {@link System#getenv()}. */
    public Builder environment(Map<String, String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /**
     * Sets the base URI that {@code AWS_CONTAINER_CREDENTIALS_RELATIVE_URI} is appended to; default
     * {@link #DEFAULT_RELATIVE_BASE}. Tests point it at a loopback server.
     *
     * @throws IllegalArgumentException if it is not https, or http to a loopback or container host
     */
    public Builder relativeBase(URI relativeBase) {
      this.relativeBase = Endpoints.requireSecure(
          Objects.requireNonNull(relativeBase, "relativeBase"), "relativeBase", CONTAINER_HOSTS);
      return this;
    }

    /**
     * Sets the connect and read timeout; default 2 seconds.
     *
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder timeout(Duration timeout) {
      this.timeout = positive(timeout, "timeout");
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
     * Sets how many times the request is sent when the endpoint responds with 429 or 5xx; default 3.
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
     * Sets the longest wait between attempts, including a {@code Retry-After} that the endpoint
     * requests; default 5 seconds. It must be at least {@link #retryBackoff(Duration)}.
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

    /** Sets the client whose connection pool is shared; the provider derives its own settings. */
    public Builder httpClient(OkHttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /**
     * Builds the provider.
     *
     * @throws IllegalArgumentException if {@code retryBackoff} is longer than {@code maxRetryDelay}
     */
    public ContainerCredentialsProvider build() {
      if (retryBackoff.compareTo(maxRetryDelay) > 0) {
        throw new IllegalArgumentException("Invalid retryBackoff " + retryBackoff + ": it must not be longer than"
            + " maxRetryDelay " + maxRetryDelay);
      }
      return new ContainerCredentialsProvider(this);
    }

    private static Duration positive(Duration value, String option) {
      if (Objects.requireNonNull(value, option).isNegative() || value.isZero()) {
        throw new IllegalArgumentException("Invalid " + option + " " + value + ": it must be positive");
      }
      return value;
    }
  }
}
