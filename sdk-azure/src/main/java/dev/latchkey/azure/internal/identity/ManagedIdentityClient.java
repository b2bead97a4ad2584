package dev.latchkey.azure.internal.identity;

import dev.latchkey.RetryAfter;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialNotConfiguredException;
import dev.latchkey.credentials.CredentialProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches access tokens for an Azure managed identity from IMDS or the App Service endpoint.
 *
 * <p>Each {@link #fetch()} sends one token request and retries it while the endpoint returns a
 * retryable status ({@link ManagedIdentityEndpoint#isRetryable(int)}) or fails after connecting,
 * with the {@link RetryBackoff} given. A {@code Retry-After} header in either form, delay-seconds or
 * an HTTP date measured from the settings' clock, lengthens the wait up to the retry budget.
 *
 * <p>Before the first IMDS token request, an {@link ImdsProbe}
 * checks that Azure IMDS is there; if not, the host is taken to be outside Azure and {@code fetch()}
 * throws {@link CredentialNotConfiguredException} at once, so a chain moves on without waiting.
 * IMDS 400 (the identity is not assigned to this resource) is reported the same way. A body larger
 * than 64 KiB, or a 200 body that is not a token response, is not retried. Thread-safe.
 */
public final class ManagedIdentityClient implements CredentialProvider<AccessToken> {

  private static final Logger LOG = LoggerFactory.getLogger(ManagedIdentityClient.class);
  private static final int MAX_BODY_BYTES = 64 * 1024;

  private final Settings settings;
  private final OkHttpClient httpClient;
  private final ManagedIdentityTokenParser parser;
  private volatile boolean imdsConfirmed;

  /**
   * Everything a client needs.
   *
   * @param endpoint where to ask
   * @param identity the user-assigned identity, or {@code null} for the system-assigned one
   * @param scope the scope to request, such as {@code https://storage.azure.com/.default}
   * @param httpClient the client to send requests with; redirects are turned off on a copy
   * @param clock the time source for expiries and the retry budget
   * @param sleeper waits between retries
   * @param backoff the delays between retries and their total budget
   */
  public record Settings(
      ManagedIdentityEndpoint endpoint,
      ManagedIdentityId identity,
      String scope,
      OkHttpClient httpClient,
      InstantSource clock,
      Sleeper sleeper,
      RetryBackoff backoff) {

    public Settings {
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(scope, "scope");
      Objects.requireNonNull(httpClient, "httpClient");
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(sleeper, "sleeper");
      Objects.requireNonNull(backoff, "backoff");
    }
  }

  public ManagedIdentityClient(Settings settings) {
    this.settings = settings;
    this.httpClient = settings.httpClient().newBuilder()
        .followRedirects(false)
        .followSslRedirects(false)
        .build();
    this.parser = new ManagedIdentityTokenParser(settings.endpoint().kind().displayName());
  }

  @Override
  public AccessToken fetch() {
    confirmImds();
    Instant start = settings.clock().instant();
    for (int failedAttempts = 1; ; failedAttempts++) {
      Attempt attempt = sendOnce();
      if (attempt.token() != null) {
        return attempt.token();
      }

      Duration elapsed = Duration.between(start, settings.clock().instant());
      Optional<Duration> delay = attempt.retryable()
          ? settings.backoff().nextDelay(failedAttempts, elapsed, attempt.retryAfter())
          : Optional.empty();
      if (delay.isEmpty()) {
        throw attempt.failure();
      }
      LOG.warn("Retrying in {} ms after attempt {} failed: {}",
          delay.get().toMillis(), failedAttempts, attempt.failure().getMessage());
      sleep(delay.get(), attempt.failure());
    }
  }

  @Override
  public String name() {
    return settings.endpoint().kind() == ManagedIdentityEndpoint.Kind.IMDS
        ? "managed-identity-imds"
        : "managed-identity-app-service";
  }

  @Override
  public String toString() {
    String identity = settings.identity() == null ? "system-assigned" : settings.identity().toString();
    return "ManagedIdentityClient[" + settings.endpoint() + ", " + identity + ", scope=" + settings.scope() + "]";
  }

  private void confirmImds() {
    if (imdsConfirmed || settings.endpoint().kind() != ManagedIdentityEndpoint.Kind.IMDS) {
      return;
    }
    ImdsProbe.requireImds(httpClient, tokenRequest(), settings.endpoint());
    imdsConfirmed = true;
  }

  /** The outcome of one request: a token, or a failure and whether and when to retry it. */
  private record Attempt(
      AccessToken token, CredentialException failure, boolean retryable, Optional<Duration> retryAfter) {

    static Attempt success(AccessToken token) {
      return new Attempt(token, null, false, Optional.empty());
    }

    static Attempt failed(CredentialException failure) {
      return new Attempt(null, failure, failure.isRetryable(), Optional.empty());
    }
  }

  private Request tokenRequest() {
    String resource = ScopeResource.toResource(settings.scope());
    return settings.endpoint().tokenRequest(resource, Optional.ofNullable(settings.identity()));
  }

  private Attempt sendOnce() {
    try (Response response = httpClient.newCall(tokenRequest()).execute()) {
      String body = readBody(response);
      if (response.code() == 200) {
        return Attempt.success(parse(body));
      }
      return statusFailure(response, body);
    } catch (CredentialException e) {
      return Attempt.failed(e);
    } catch (IOException e) {
      return Attempt.failed(new CredentialException(
          "Managed identity token request to " + settings.endpoint() + " failed: " + e, e, true));
    }
  }

  private AccessToken parse(String body) {
    String resource = ScopeResource.toResource(settings.scope());
    AccessToken token = parser.parse(body, settings.scope(), resource, settings.clock().instant());
    LOG.debug("Fetched token {} from {}, expires at {}",
        token.id(), settings.endpoint(), token.expiresAt().orElseThrow());
    return token;
  }

  private Attempt statusFailure(Response response, String body) {
    int status = response.code();
    String detail = ErrorBodies.describe(body);
    if (status == 400 && settings.endpoint().kind() == ManagedIdentityEndpoint.Kind.IMDS) {
      return Attempt.failed(new CredentialNotConfiguredException(
          "Managed identity is not available from " + settings.endpoint() + ": IMDS returned HTTP 400 ("
              + detail + "); assign the identity to this resource or check the client, object or"
              + " resource id"));
    }
    boolean retryable = settings.endpoint().isRetryable(status);
    CredentialException failure = new CredentialException(
        "Managed identity token request to " + settings.endpoint() + " failed with HTTP " + status
            + " (" + detail + ")", retryable);
    Optional<Duration> retryAfter = RetryAfter.parse(response.header("Retry-After"), settings.clock().instant());
    return new Attempt(null, failure, retryable, retryAfter);
  }

  /**
   * Reads the body up to {@link #MAX_BODY_BYTES}.
   *
   * @throws CredentialException (not retryable) if the body is larger, because such an endpoint is
   *     not a managed identity endpoint and asking again would read the same body
   */
  private String readBody(Response response) throws IOException {
    try (InputStream in = response.body().byteStream()) {
      byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
      if (bytes.length > MAX_BODY_BYTES) {
        throw new CredentialException("Managed identity token request to " + settings.endpoint()
            + " returned HTTP " + response.code() + " with a body larger than " + MAX_BODY_BYTES
            + " bytes; check the endpoint URL", false);
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  private void sleep(Duration delay, CredentialException lastFailure) {
    try {
      settings.sleeper().sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      CredentialException interrupted = new CredentialException(
          "Interrupted while waiting to retry the token request to " + settings.endpoint(), e, false);
      interrupted.addSuppressed(lastFailure);
      throw interrupted;
    }
  }
}
