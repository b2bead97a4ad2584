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
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.storage.RetryPolicy;
import dev.latchkey.storage.StorageClient;
import dev.latchkey.storage.StorageException;
import dev.latchkey.testkit.Fault;
import dev.latchkey.testkit.FaultInjectingProxy;
import dev.latchkey.testkit.FaultMatrix;
import dev.latchkey.testkit.FaultMatrix.Outcome;
import dev.latchkey.testkit.FaultMatrix.StorageOperation;
import dev.latchkey.testkit.S3ProxyServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
        Arguments.of(Fault.status(500), 1, StorageOperation.LIST, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.status(503), 1, StorageOperation.GET, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.tooManyRequests(Duration.ofSeconds(1)), 1, StorageOperation.HEAD, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.tooManyRequests(null), 1, StorageOperation.PUT, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.tooManyRequests(Duration.ofSeconds(7)), 3, StorageOperation.GET,
            Outcome.RETRYABLE, "HTTP 429"),
        Arguments.of(Fault.status(500), 3, StorageOperation.HEAD, Outcome.RETRYABLE, "500"),
        Arguments.of(Fault.status(503), 3, StorageOperation.GET, Outcome.RETRYABLE, "503"),
        Arguments.of(Fault.connectionReset(), 1, StorageOperation.GET, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.connectionReset(), 2, StorageOperation.LIST, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.slowHeaders(Duration.ofSeconds(2)), 1, StorageOperation.HEAD, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.slowBody(Duration.ofSeconds(10)), 1, StorageOperation.LIST, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.truncatedBody(), 1, StorageOperation.LIST, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.malformedBody(), 1, StorageOperation.LIST, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.malformedBody(), 3, StorageOperation.LIST, Outcome.RETRYABLE, "listing of bucket 'matrix'"),
        Arguments.of(Fault.oversizedBody(100L << 20), 1, StorageOperation.LIST, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.oversizedBody(100L << 20), 3, StorageOperation.LIST,
            Outcome.RETRYABLE, "listing of bucket 'matrix'"),
        Arguments.of(Fault.truncatedBody(), 3, StorageOperation.LIST, Outcome.RETRYABLE, "unexpected end of stream"),
        Arguments.of(Fault.slowHeaders(Duration.ofSeconds(2)), 3, StorageOperation.HEAD,
            Outcome.RETRYABLE, "SocketTimeoutException"),
        Arguments.of(Fault.wrongContentType(), 1, StorageOperation.LIST, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.duplicateHeaders(), 1, StorageOperation.HEAD, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.duplicateHeaders(), 1, StorageOperation.GET, Outcome.SUCCEEDS, ""));
  }

  @ParameterizedTest(name = "{2} through {1} x {0}")
  @MethodSource("faults")
  void faultHasExpectedOutcome(Fault fault, int times, StorageOperation operation, Outcome outcome,
      String messageFragment) {
    for (int i = 0; i < times; i++) {
      proxy.enqueue(fault);
    }

    Throwable thrown = catchThrowable(() -> operation.run(storage, OBJECT, CONTENT));
    if (thrown != null) {
      canary.recordFailure(thrown);
    }

    FaultMatrix.assertOutcome(thrown, outcome, messageFragment, LatchkeyException.class);
    assertThat(proxy.faultCount()).as("faults injected").isEqualTo(times);
    FaultMatrix.assertStorageWaits(waits, fault, times, thrown, RETRY_POLICY);
    assertThat(catchThrowable(() -> operation.run(storage, OBJECT, CONTENT)))
        .as("failure of the call after the faults").isNull();
  }

  /** getBytes reads the body inside the retried call, so a body cut off mid-stream is read again. */
  @Test
  void getBytesRetriesCutOffBody() {
    proxy.enqueue(Fault.truncatedBody(), Fault.resetDuringBody());

    byte[] read = storage.getBytes(OBJECT);

    assertThat(read).isEqualTo(CONTENT);
    assertThat(proxy.faultCount()).as("faults injected").isEqualTo(2);
    assertThat(waits).hasSize(2);
  }

  /** getToFile downloads again into the same temporary file, and leaves only the complete file. */
  @Test
  void getToFileRetriesCutOffBody(@TempDir Path directory) throws IOException {
    Path target = directory.resolve("q4.csv");
    proxy.enqueue(Fault.truncatedBody(), Fault.resetDuringBody());

    storage.getToFile(OBJECT, target);

    assertThat(Files.readAllBytes(target)).isEqualTo(CONTENT);
    assertThat(waits).hasSize(2);
    try (Stream<Path> files = Files.list(directory)) {
      assertThat(files).containsExactly(target);
    }
  }

  /** When every attempt is cut off, the failure is retryable and no file, partial or complete, remains. */
  @Test
  void persistentCutOffLeavesNoFile(@TempDir Path directory) throws IOException {
    Path target = directory.resolve("q4.csv");
    proxy.enqueue(Fault.truncatedBody(), Fault.truncatedBody(), Fault.truncatedBody());

    Throwable thrown = catchThrowable(() -> storage.getToFile(OBJECT, target));

    assertThat(thrown).isInstanceOf(StorageException.class).hasMessageContaining("'reports/q4.csv'");
    assertThat(((StorageException) thrown).isRetryable()).isTrue();
    assertThat(waits).hasSize(2);
    try (Stream<Path> files = Files.list(directory)) {
      assertThat(files).isEmpty();
    }
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
