package dev.latchkey.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.LatchkeyException;
import dev.latchkey.azure.BlobBackend;
import dev.latchkey.azure.SharedKeySigner;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.SharedKey;
import dev.latchkey.credentials.WorkloadIdentity;
import dev.latchkey.policy.AccessPolicy;
import dev.latchkey.policy.Action;
import dev.latchkey.policy.Binding;
import dev.latchkey.policy.Role;
import dev.latchkey.policy.Rule;
import dev.latchkey.signing.SignableRequest;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.storage.RetryPolicy;
import dev.latchkey.storage.StorageClient;
import dev.latchkey.storage.StorageException;
import dev.latchkey.testkit.AzuriteServer;
import dev.latchkey.testkit.AzuriteUnavailableException;
import dev.latchkey.testkit.Fault;
import dev.latchkey.testkit.FaultInjectingProxy;
import dev.latchkey.testkit.FaultMatrix;
import dev.latchkey.testkit.FaultMatrix.Outcome;
import dev.latchkey.testkit.FaultMatrix.StorageOperation;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each fault of {@link Fault} injected between a {@link StorageClient} with a {@link BlobBackend} and
 * a real Blob service (Azurite through a {@link FaultInjectingProxy}), with the outcome it must have:
 * the call succeeds after a retry, or fails with a typed error whose {@code isRetryable()} shows
 * whether to try again.
 */
class BlobStorageFaultMatrixTest {

  private static final String ACCOUNT = "faultmatrix";
  private static final String CONTAINER = "matrix";
  private static final ObjectRef OBJECT = ObjectRef.of(CONTAINER, "reports/q4.csv");
  private static final byte[] CONTENT = "region,total\nnorth,7\n".getBytes(StandardCharsets.UTF_8);
  private static final WorkloadIdentity IDENTITY = WorkloadIdentity.of("matrix-worker");
  private static final String ACCOUNT_KEY = Base64.getEncoder()
      .encodeToString("canary-azure-account-key-5e1c".getBytes(StandardCharsets.US_ASCII));
  private static final RetryPolicy RETRY_POLICY = new RetryPolicy(3, Duration.ofMillis(20), Duration.ofSeconds(2));

  private static AzuriteServer azurite;
  private static Canary canary;
  private FaultInjectingProxy proxy;
  private StorageClient storage;
  private final List<Duration> waits = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startAzurite() throws IOException {
    canary = Canary.capture();
    canary.addSecret(ACCOUNT_KEY);
    try {
      azurite = AzuriteServer.builder().account(ACCOUNT, ACCOUNT_KEY)
          .debugLog(Path.of("target", "azurite-blob-fault-matrix.log")).start();
    } catch (AzuriteUnavailableException e) {
      Assumptions.abort("The Blob fault matrix needs Node.js 20 or later with npm: " + e.getMessage());
    }
    createContainer(CONTAINER);
  }

  @AfterAll
  static void stopAzurite() {
    if (azurite != null) {
      azurite.close();
    }
    canary.assertNoSecretIn(List.of());
  }

  @BeforeEach
  void startProxy() throws IOException {
    proxy = FaultInjectingProxy.builder(HttpUrl.get(azurite.blobEndpoint())).start();
    storage = StorageClient.builder()
        .identity(IDENTITY)
        .policy(readWrite())
        .retryPolicy(RETRY_POLICY)
        .retrySleeper(waits::add)
        .backend(BlobBackend.builder()
            .endpoint(URI.create(proxy.url("/" + ACCOUNT).toString()))
            .allowPlainHttpOnLoopback()
            .sharedKey(SharedKey.of(ACCOUNT, SecretValue.of(ACCOUNT_KEY)))
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
        Arguments.of(Fault.tooManyRequests(Duration.ofSeconds(7)), 3, StorageOperation.GET,
            Outcome.RETRYABLE, "HTTP 429"),
        Arguments.of(Fault.tooManyRequests(null), 1, StorageOperation.PUT, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.status(500), 3, StorageOperation.HEAD, Outcome.RETRYABLE, "HTTP 500"),
        Arguments.of(Fault.status(503), 3, StorageOperation.GET, Outcome.RETRYABLE, "HTTP 503"),
        Arguments.of(Fault.tooManyRequests(null), 3, StorageOperation.LIST, Outcome.RETRYABLE, "HTTP 429"),
        Arguments.of(Fault.connectionReset(), 1, StorageOperation.GET, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.connectionReset(), 2, StorageOperation.LIST, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.slowHeaders(Duration.ofSeconds(3)), 1, StorageOperation.HEAD, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.slowHeaders(Duration.ofSeconds(3)), 3, StorageOperation.HEAD,
            Outcome.RETRYABLE, "timed out"),
        Arguments.of(Fault.slowBody(Duration.ofSeconds(30)), 1, StorageOperation.LIST, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.slowBody(Duration.ofSeconds(30)), 1, StorageOperation.GET, Outcome.STREAM_TIMES_OUT, ""),
        Arguments.of(Fault.truncatedBody(), 1, StorageOperation.LIST, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.truncatedBody(), 3, StorageOperation.LIST, Outcome.RETRYABLE, "unexpected end of stream"),
        Arguments.of(Fault.truncatedBody(), 1, StorageOperation.GET, Outcome.STREAM_FAILS, "unexpected end of stream"),
        Arguments.of(Fault.malformedBody(), 1, StorageOperation.LIST, Outcome.FATAL, "Invalid List Blobs response"),
        Arguments.of(Fault.oversizedBody(100L << 20), 1, StorageOperation.LIST, Outcome.FATAL,
            "returned more than 33554432 bytes"),
        Arguments.of(Fault.wrongContentType(), 1, StorageOperation.LIST, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.wrongContentType(), 1, StorageOperation.GET, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.duplicateHeaders(), 1, StorageOperation.HEAD, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.duplicateHeaders(), 1, StorageOperation.GET, Outcome.SUCCEEDS, ""),
        Arguments.of(Fault.duplicateHeaders(), 1, StorageOperation.LIST, Outcome.SUCCEEDS, ""));
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

  @Test
  void duplicateHeadersOnNotFoundStayTyped() {
    proxy.enqueue(Fault.duplicateHeaders());

    Throwable thrown = catchThrowable(() -> storage.head(ObjectRef.of(CONTAINER, "never-written")));

    assertThat(thrown).isInstanceOf(StorageException.class);
    StorageException notFound = (StorageException) thrown;
    assertThat(notFound.isNotFound()).as("not found").isTrue();
    assertThat(notFound.isRetryable()).as("retryable").isFalse();
    assertThat(proxy.faultCount()).as("faults injected").isEqualTo(1);
  }

  @Test
  void refusedConnectionIsRetryable() throws IOException {
    URI closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closed = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/" + ACCOUNT);
    }
    StorageClient unreachable = StorageClient.builder()
        .identity(IDENTITY)
        .policy(readWrite())
        .retryPolicy(new RetryPolicy(2, Duration.ofMillis(20), Duration.ofMillis(50)))
        .backend(BlobBackend.builder().endpoint(closed).allowPlainHttpOnLoopback()
            .sharedKey(SharedKey.of(ACCOUNT, SecretValue.of(ACCOUNT_KEY)))
            .httpClient(new OkHttpClient()).build())
        .build();

    Throwable thrown = catchThrowable(() -> unreachable.head(OBJECT));
    unreachable.close();
    canary.recordFailure(thrown);

    assertThat(thrown).isInstanceOf(StorageException.class);
    assertThat(((StorageException) thrown).isRetryable()).as("retryable").isTrue();
    assertThat(thrown.getMessage()).contains("failed without a response");
  }

  private static AccessPolicy readWrite() {
    return AccessPolicy.builder()
        .role(Role.builder().name("read-write")
            .rule(Rule.allow("read-write").actions(Action.READ, Action.WRITE, Action.LIST)
                .resources("azure://" + ACCOUNT + "/" + CONTAINER + "/**"))
            .build())
        .binding(Binding.builder().id("matrix").identities(IDENTITY.name()).roles("read-write").build())
        .build();
  }

  /** Creates a container with Create Container, signed with the account key, straight to Azurite. */
  private static void createContainer(String container) throws IOException {
    URI uri = URI.create(azurite.blobEndpoint() + "/" + container + "?restype=container");
    SignableRequest unsigned = SignableRequest.builder("PUT", uri).addHeader("Content-Length", "0").build();
    SignableRequest signed = SharedKeySigner.create()
        .sign(unsigned, SharedKey.of(ACCOUNT, SecretValue.of(ACCOUNT_KEY)), Instant.now());
    Request.Builder request = new Request.Builder().url(signed.uri().toString()).put(RequestBody.create(new byte[0]));
    signed.headers().forEach(header -> request.header(header.name(), header.value()));
    try (Response response = new OkHttpClient().newCall(request.build()).execute()) {
      assertThat(response.code()).as("status of Create Container " + container).isEqualTo(201);
    }
  }
}
