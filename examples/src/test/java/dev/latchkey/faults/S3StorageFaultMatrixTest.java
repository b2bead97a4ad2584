package dev.latchkey.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.LatchkeyException;
import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.WorkloadIdentity;
import dev.latchkey.credentials.providers.StaticCredentialProvider;
import dev.latchkey.policy.AccessPolicy;
import dev.latchkey.policy.Action;
import dev.latchkey.policy.Binding;
import dev.latchkey.policy.Role;
import dev.latchkey.policy.Rule;
import dev.latchkey.s3.S3Backend;
import dev.latchkey.storage.ListRequest;
import dev.latchkey.storage.ObjectContent;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.storage.RetryPolicy;
import dev.latchkey.storage.StorageClient;
import dev.latchkey.storage.StorageException;
import dev.latchkey.testkit.Fault;
import dev.latchkey.testkit.FaultInjectingProxy;
import dev.latchkey.testkit.S3ProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each fault of {@link Fault} injected between a {@link StorageClient} with an {@link S3Backend} and a
 * real S3 server (S3Proxy through a {@link FaultInjectingProxy}), with the outcome it must have: the
 * call succeeds after a retry, or fails with a typed error whose retryability tells the caller what to do.
 */
class S3StorageFaultMatrixTest {

  private static final String BUCKET = "matrix";
  private static final ObjectRef OBJECT = ObjectRef.of(BUCKET, "reports/q4.csv");
  private static final byte[] CONTENT = "region,total\nnorth,7\n".getBytes(StandardCharsets.UTF_8);
  private static final WorkloadIdentity IDENTITY = WorkloadIdentity.of("matrix-worker");
  private static final String SECRET_KEY = "canary-s3-secret-key-0d2f";
  private static final RetryPolicy RETRY_POLICY = new RetryPolicy(3, Duration.ofMillis(20), Duration.ofSeconds(2));

  private static S3ProxyServer s3;
  private static Canary canary;
  private FaultInjectingProxy proxy;
  private StorageClient storage;
  private final List<Duration> waits = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startS3() {
    canary = Canary.capture();
    canary.addSecret(SECRET_KEY);
    s3 = S3ProxyServer.builder().identity("AKIDMATRIX").credential(SECRET_KEY).start();
    s3.createBucket(BUCKET);
  }

  @AfterAll
  static void stopS3() {
    s3.close();
    canary.assertNoSecretIn(List.of());
  }

  @BeforeEach
  void startProxy() throws IOException {
    proxy = FaultInjectingProxy.builder(HttpUrl.get(s3.endpoint())).preserveHost(true).start();
    storage = StorageClient.builder()
        .identity(IDENTITY)
        .policy(readWrite())
        .retryPolicy(RETRY_POLICY)
        .retrySleeper(waits::add)
        .backend(S3Backend.builder()
            .endpoint(URI.create(proxy.url("/").toString()))
            .region("us-east-1")
            .addressing(S3Backend.Addressing.PATH_STYLE)
            .credentials(StaticCredentialProvider.of(AwsCredentials.of("AKIDMATRIX", SecretValue.of(SECRET_KEY))))
            .httpClient(new OkHttpClient.Builder()
                .connectTimeout(1, TimeUnit.SECONDS)
                .readTimeout(1, TimeUnit.SECONDS)
                .build())
            .build())
        .build();
    storage.put(OBJECT, CONTENT, "text/csv");
    waits.clear();
  }

  @AfterEach
  void stopProxy() {
    storage.close();
    proxy.close();
  }

  static Stream<Arguments> faults() {
    return Stream.of(
        Arguments.of(Fault.status(500), 1, Operation.LIST, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.status(503), 1, Operation.GET, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.tooManyRequests(Duration.ofSeconds(1)), 1, Operation.HEAD, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.tooManyRequests(null), 1, Operation.PUT, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.tooManyRequests(Duration.ofSeconds(7)), 3, Operation.GET, Outcome.RETRYABLE, "HTTP 429"),
        Arguments.of(Fault.status(500), 3, Operation.HEAD, Outcome.RETRYABLE, "500"),
        Arguments.of(Fault.status(503), 3, Operation.GET, Outcome.RETRYABLE, "503"),
        Arguments.of(Fault.connectionReset(), 1, Operation.GET, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.connectionReset(), 2, Operation.LIST, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.slowHeaders(Duration.ofSeconds(2)), 1, Operation.HEAD, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.slowBody(Duration.ofSeconds(10)), 1, Operation.LIST, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.truncatedBody(), 1, Operation.LIST, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.malformedBody(), 1, Operation.LIST, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.malformedBody(), 3, Operation.LIST, Outcome.RETRYABLE, "listing of bucket 'matrix'"),
        Arguments.of(Fault.oversizedBody(100L << 20), 1, Operation.LIST, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.oversizedBody(100L << 20), 3, Operation.LIST, Outcome.RETRYABLE, "listing of bucket 'matrix'"),
        Arguments.of(Fault.truncatedBody(), 3, Operation.LIST, Outcome.RETRYABLE, "unexpected end of stream"),
        Arguments.of(Fault.slowHeaders(Duration.ofSeconds(2)), 3, Operation.HEAD, Outcome.RETRYABLE, "SocketTimeoutException"),
        Arguments.of(Fault.wrongContentType(), 1, Operation.LIST, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.duplicateHeaders(), 1, Operation.HEAD, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.duplicateHeaders(), 1, Operation.GET, Outcome.SUCCEEDS, ""));
  }

  @ParameterizedTest(name = "{2} through {1} x {0}")
  @MethodSource("faults")
  void faultHasExpectedOutcome(Fault fault, int times, Operation operation, Outcome outcome, String messageFragment) {
    for (int i = 0; i < times; i++) {
      proxy.enqueue(fault);
    }

    Throwable thrown = catchThrowable(() -> operation.run(storage));
    if (thrown != null) {
      canary.recordFailure(thrown);
    }

    if (outcome == Outcome.SUCCEEDS) {
      assertThat(thrown).as("failure of " + operation).isNull();
    } else {
      assertThat(thrown).as("typed failure").isInstanceOf(LatchkeyException.class);
      assertThat(((LatchkeyException) thrown).isRetryable()).as("retryable").isEqualTo(outcome == Outcome.RETRYABLE);
      assertThat(thrown.getMessage()).contains(messageFragment);
    }
    assertThat(proxy.faultCount()).as("faults injected").isEqualTo(times);
    assertWaits(fault, times, thrown);
    assertThat(catchThrowable(() -> operation.run(storage))).as("failure of the call after the faults").isNull();
  }

  /**
   * Checks the waits before retries. After a 429 with {@code Retry-After} each wait is that delay,
   * capped at the policy's 2-second maximum, because the drawn backoff is at most 40 ms. Otherwise
   * each wait is a drawn backoff: at most 20 ms, then 40 ms.
   */
  private void assertWaits(Fault fault, int times, Throwable thrown) {
    boolean retryAfter = fault.kind() == Fault.Kind.TOO_MANY_REQUESTS && fault.delay() != null;
    if (!retryAfter) {
      assertThat(waits).as("waits before retries").allSatisfy(wait -> assertThat(wait).isLessThanOrEqualTo(
          Duration.ofMillis(40)));
      return;
    }
    Duration expected = fault.delay().compareTo(RETRY_POLICY.maxDelay()) > 0 ? RETRY_POLICY.maxDelay() : fault.delay();
    assertThat(waits).as("waits before retries").hasSize(Math.min(times, 2)).containsOnly(expected);
    if (thrown instanceof StorageException failure) {
      assertThat(failure.retryAfter()).as("Retry-After of the last response").contains(fault.delay());
    }
  }

  /** A storage call whose result the test checks. */
  enum Operation {
    GET {
      @Override
      void run(StorageClient storage) throws IOException {
        try (ObjectContent content = storage.get(OBJECT)) {
          assertThat(content.stream().readAllBytes()).isEqualTo(CONTENT);
        }
      }
    },
    HEAD {
      @Override
      void run(StorageClient storage) {
        // The proxy does not copy Content-Length, so HEAD through it cannot report the size.
        assertThat(storage.head(OBJECT).eTag()).isNotBlank();
      }
    },
    LIST {
      @Override
      void run(StorageClient storage) {
        assertThat(storage.listPages(ListRequest.of(BUCKET, "reports/")).findFirst().orElseThrow().objects())
            .extracting(summary -> summary.key()).containsExactly(OBJECT.key());
      }
    },
    PUT {
      @Override
      void run(StorageClient storage) {
        assertThat(storage.put(OBJECT, CONTENT, "text/csv").size()).isEqualTo(CONTENT.length);
      }
    };

    abstract void run(StorageClient storage) throws IOException;
  }

  /** What a call through faults must end in. */
  enum Outcome {
    SUCCEEDS,
    RETRYABLE,
    FATAL
  }

  private static AccessPolicy readWrite() {
    return AccessPolicy.builder()
        .role(Role.builder().name("read-write")
            .rule(Rule.allow("read-write").actions(Action.READ, Action.WRITE, Action.LIST).resources("s3://" + BUCKET + "/**"))
            .build())
        .binding(Binding.builder().id("matrix").identities(IDENTITY.name()).roles("read-write").build())
        .build();
  }
}
