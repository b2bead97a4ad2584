package dev.latchkey.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.LatchkeyException;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.s3.credentials.StsException;
import dev.latchkey.s3.credentials.WebIdentityCredentialsProvider;
import dev.latchkey.testkit.Fault;
import dev.latchkey.testkit.FaultInjectingProxy;
import dev.latchkey.testkit.Sandbox;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each fault of {@link Fault} injected between {@link WebIdentityCredentialsProvider} and the
 * sandbox's STS (through a {@link FaultInjectingProxy}), and the STS's own scripted errors, with the
 * outcome each must have: keys, or a typed error whose retryability is stated.
 */
class StsFaultMatrixTest {

  private static Sandbox sandbox;
  private static Canary canary;
  private FaultInjectingProxy proxy;

  @BeforeAll
  static void startSandbox() {
    canary = Canary.capture();
    sandbox = Sandbox.builder().azurite(false).start();
  }

  @AfterAll
  static void stopSandbox() {
    sandbox.sts().issued().forEach(keys -> {
      canary.addSecret(keys.secretAccessKey());
      canary.addSecret(keys.sessionToken());
    });
    sandbox.close();
    canary.assertNoSecretIn(List.of());
  }

  @BeforeEach
  void startProxy() throws IOException {
    proxy = FaultInjectingProxy.builder(HttpUrl.get(sandbox.stsEndpoint())).start();
  }

  @AfterEach
  void stopProxy() {
    proxy.close();
  }

  static Stream<Arguments> faults() {
    return Stream.of(
        Arguments.of(Fault.status(500), Outcome.RETRYABLE),
        Arguments.of(Fault.status(503), Outcome.RETRYABLE),
        Arguments.of(Fault.tooManyRequests(Duration.ofSeconds(1)), Outcome.RETRYABLE),
        Arguments.of(Fault.tooManyRequests(null), Outcome.RETRYABLE),
        Arguments.of(Fault.connectionReset(), Outcome.RETRYABLE),
        Arguments.of(Fault.truncatedBody(), Outcome.RETRYABLE),
        Arguments.of(Fault.slowHeaders(Duration.ofSeconds(2)), Outcome.RETRYABLE),
        Arguments.of(Fault.slowBody(Duration.ofSeconds(10)), Outcome.RETRYABLE),
        Arguments.of(Fault.malformedBody(), Outcome.FATAL),
        Arguments.of(Fault.oversizedBody(100L << 20), Outcome.FATAL),
        Arguments.of(Fault.wrongContentType(), Outcome.KEYS),
        Arguments.of(Fault.duplicateHeaders(), Outcome.KEYS));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("faults")
  void faultHasExpectedOutcome(Fault fault, Outcome outcome) {
    for (int i = 0; i < 5; i++) {
      proxy.enqueue(fault);
    }
    WebIdentityCredentialsProvider provider = provider(URI.create(proxy.url("/").toString()));

    Throwable thrown = catchThrowable(provider::fetch);

    if (outcome == Outcome.KEYS) {
      assertThat(thrown).as("failure").isNull();
      return;
    }
    canary.recordFailure(thrown);
    assertThat(thrown).as("typed failure").isInstanceOf(LatchkeyException.class);
    assertThat(((LatchkeyException) thrown).isRetryable()).as("retryable: " + thrown.getMessage())
        .isEqualTo(outcome == Outcome.RETRYABLE);
  }

  @Test
  void scriptedThrottlingIsRetryableStsError() {
    sandbox.sts().failNext(1, 400, "Throttling");

    Throwable thrown = catchThrowable(provider(sandbox.stsEndpoint())::fetch);

    assertThat(thrown).isInstanceOf(StsException.class);
    assertThat(((StsException) thrown).isRetryable()).isTrue();
    assertThat(thrown.getMessage()).contains("Throttling");
  }

  @Test
  void refusedConnectionIsRetryable() throws IOException {
    URI closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closed = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
    }

    Throwable thrown = catchThrowable(provider(closed)::fetch);

    assertThat(thrown).isInstanceOf(LatchkeyException.class);
    assertThat(((LatchkeyException) thrown).isRetryable()).isTrue();
  }

  private static WebIdentityCredentialsProvider provider(URI stsUri) {
    String token = sandbox.issuer().issueToken("sts-matrix", Sandbox.STS_AUDIENCE, Map.of(), Duration.ofMinutes(5));
    return WebIdentityCredentialsProvider.builder()
        .endpoint(stsUri)
        .region("us-east-1")
        .roleArn("arn:aws:iam::000000000000:role/sts-matrix")
        .roleSessionName("sts-matrix")
        .tokenProvider(() -> AccessToken.bearer(SecretValue.of(token), Instant.now().plus(Duration.ofMinutes(5))))
        .httpClient(new OkHttpClient.Builder().readTimeout(500, TimeUnit.MILLISECONDS)
            .callTimeout(3, TimeUnit.SECONDS).build())
        .build();
  }

  /** What a call through a fault must end in. */
  enum Outcome {
    KEYS,
    RETRYABLE,
    FATAL
  }
}
