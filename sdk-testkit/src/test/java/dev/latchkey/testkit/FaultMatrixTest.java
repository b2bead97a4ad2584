package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialNotConfiguredException;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.storage.RetryPolicy;
import dev.latchkey.storage.StorageException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class FaultMatrixTest {

  private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
  private static final RetryPolicy POLICY = new RetryPolicy(3, Duration.ofMillis(20), Duration.ofSeconds(2));
  private static final AtomicInteger COUNTER = new AtomicInteger();

  @Test
  void outcomeMatchesTypedFailures() {
    assertThatCode(() -> FaultMatrix.assertOutcome(null, FaultMatrix.Outcome.SUCCEEDS, "", CredentialException.class))
        .doesNotThrowAnyException();
    assertThatCode(() -> FaultMatrix.assertOutcome(new CredentialException("HTTP 503 from IMDS", true),
        FaultMatrix.Outcome.RETRYABLE, "HTTP 503", CredentialException.class)).doesNotThrowAnyException();
    assertThatCode(() -> FaultMatrix.assertOutcome(new CredentialNotConfiguredException("IMDS did not respond"),
        FaultMatrix.Outcome.NOT_CONFIGURED, "did not respond", CredentialException.class)).doesNotThrowAnyException();
    assertThatCode(() -> FaultMatrix.assertOutcome(new IOException("unexpected end of stream"),
        FaultMatrix.Outcome.STREAM_FAILS, "end of stream", CredentialException.class)).doesNotThrowAnyException();
  }

  @Test
  void outcomeRejectsMismatches() {
    assertThatThrownBy(() -> FaultMatrix.assertOutcome(new CredentialException("HTTP 503", true),
        FaultMatrix.Outcome.SUCCEEDS, "", CredentialException.class)).isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> FaultMatrix.assertOutcome(new CredentialException("HTTP 503", true),
        FaultMatrix.Outcome.FATAL, "HTTP 503", CredentialException.class))
        .isInstanceOf(AssertionError.class).hasMessageContaining("isRetryable() false");
    assertThatThrownBy(() -> FaultMatrix.assertOutcome(new CredentialException("HTTP 503", true),
        FaultMatrix.Outcome.RETRYABLE, "HTTP 429", CredentialException.class))
        .isInstanceOf(AssertionError.class).hasMessageContaining("'HTTP 429'");
    assertThatThrownBy(() -> FaultMatrix.assertOutcome(new CredentialNotConfiguredException("not there"),
        FaultMatrix.Outcome.RETRYABLE, "", CredentialException.class)).isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> FaultMatrix.assertOutcome(new CredentialException("HTTP 503", true),
        FaultMatrix.Outcome.RETRYABLE, "", StorageException.class)).isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> FaultMatrix.assertOutcome(null, FaultMatrix.Outcome.NOT_CONFIGURED, "",
        CredentialException.class)).isInstanceOf(AssertionError.class);
  }

  @Test
  void expectedWaitsDoubleAndHonourRetryAfter() {
    Duration backoff = Duration.ofMillis(100);
    Duration maxDelay = Duration.ofSeconds(2);

    assertThat(FaultMatrix.expectedWaits(backoff, maxDelay, 3, 3, null))
        .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(FaultMatrix.expectedWaits(backoff, maxDelay, 3, 1, Duration.ofSeconds(1)))
        .containsExactly(Duration.ofSeconds(1));
    assertThat(FaultMatrix.expectedWaits(backoff, maxDelay, 3, 3, Duration.ofSeconds(30)))
        .containsExactly(maxDelay, maxDelay);
    assertThat(FaultMatrix.expectedWaits(backoff, maxDelay, 3, 0, null)).isEmpty();
  }

  @Test
  void storageWaitsFollowRetryAfter() {
    Fault throttled = Fault.tooManyRequests(Duration.ofSeconds(7));

    assertThatCode(() -> FaultMatrix.assertStorageWaits(List.of(Duration.ofSeconds(2), Duration.ofSeconds(2)),
        throttled, 3, null, POLICY)).doesNotThrowAnyException();
    assertThatThrownBy(() -> FaultMatrix.assertStorageWaits(List.of(Duration.ofSeconds(2)), throttled, 3, null, POLICY))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> FaultMatrix.assertStorageWaits(List.of(Duration.ofSeconds(2), Duration.ofSeconds(2)),
        throttled, 3, new StorageException("HTTP 429", 429, null, null, null, true, Duration.ofSeconds(1)), POLICY))
        .isInstanceOf(AssertionError.class).hasMessageContaining("retryAfter()");
  }

  @Test
  void waitsWithoutRetryAfterStayBelowBackoff() {
    assertThatCode(() -> FaultMatrix.assertStorageWaits(List.of(Duration.ofMillis(15), Duration.ofMillis(40)),
        Fault.status(503), 3, null, POLICY)).doesNotThrowAnyException();
    assertThatThrownBy(() -> FaultMatrix.assertStorageWaits(List.of(Duration.ofMillis(41)),
        Fault.status(503), 3, null, POLICY)).isInstanceOf(AssertionError.class);
  }

  @Test
  void cacheCheckPassesWhenHeldTokenServed() {
    AtomicBoolean failing = new AtomicBoolean();
    CredentialProvider<AccessToken> provider = () -> {
      if (failing.get()) {
        throw new CredentialException("HTTP 503 from the token endpoint", true);
      }
      return token();
    };

    assertThatCode(() -> FaultMatrix.assertCacheServesHeld(provider, FakeClock.at(START),
        START.plus(Duration.ofMinutes(58)), () -> failing.set(true))).doesNotThrowAnyException();
  }

  @Test
  void cacheCheckFailsWhenRefreshSucceeds() {
    CredentialProvider<AccessToken> provider = FaultMatrixTest::token;

    assertThatThrownBy(() -> FaultMatrix.assertCacheServesHeld(provider, FakeClock.at(START),
        START.plus(Duration.ofMinutes(58)), () -> { }))
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void scriptSendsInjectedResponsesFirst() {
    ResponseScript script = new ResponseScript();
    script.inject("/token", InjectedResponse.of(Fault.status(503)), 2);

    assertThat(script.respond("/other", normal()).getCode()).as("another path").isEqualTo(200);
    assertThat(script.respond("/token", normal()).getCode()).as("first").isEqualTo(503);
    assertThat(script.respond("/token", normal()).getCode()).as("second").isEqualTo(503);
    assertThat(script.respond("/token", normal()).getCode()).as("after the script").isEqualTo(200);
    assertThat(script.injected()).isEqualTo(2);
  }

  @Test
  void injectedResponsesStateRetries() throws IOException {
    InjectedResponse throttled = InjectedResponse.of(Fault.tooManyRequests(Duration.ofSeconds(3)));
    InjectedResponse malformed = InjectedResponse.of(Fault.malformedBody());
    InjectedResponse unavailable = InjectedResponse.of(Fault.status(503));
    InjectedResponse notFound = InjectedResponse.of(Fault.status(404));
    InjectedResponse invalidDelay = InjectedResponse.retryAfter(503, "-3", null);
    InjectedResponse cutOff = InjectedResponse.cutOffBody("{\"token\":\"abcdef\"}");

    assertThat(throttled.retriedByStatus()).isTrue();
    assertThat(throttled.retryAfter()).isEqualTo(Duration.ofSeconds(3));
    assertThat(malformed.retriedByStatus()).isFalse();
    assertThat(unavailable.retriedByStatus()).isTrue();
    assertThat(notFound.retriedByStatus()).isFalse();
    assertThat(invalidDelay.retriedByStatus()).isTrue();
    assertThat(invalidDelay.retryAfter()).isNull();
    assertThat(invalidDelay.respond(normal()).getHeaders().get("Retry-After")).isEqualTo("-3");
    MockResponse cut = cutOff.respond(normal());
    assertThat(cut.getCode()).isEqualTo(200);
    Buffer body = new Buffer();
    cut.getBody().writeTo(body);
    assertThat(body.readUtf8()).isEqualTo("{\"token\":");
  }

  @Test
  void closedPortRefusesConnections() throws IOException {
    int port = FaultMatrix.closedPort();

    assertThatThrownBy(() -> new Socket(InetAddress.getByName("127.0.0.1"), port).close())
        .isInstanceOf(ConnectException.class);
  }

  private static AccessToken token() {
    return AccessToken.bearer(SecretValue.of("token-" + COUNTER.incrementAndGet()), START.plus(Duration.ofHours(1)));
  }

  private static MockResponse.Builder normal() {
    return new MockResponse.Builder().code(200).body("normal");
  }
}
