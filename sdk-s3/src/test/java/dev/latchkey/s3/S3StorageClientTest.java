package dev.latchkey.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.audit.EventOutcome;
import dev.latchkey.audit.EventType;
import dev.latchkey.audit.InMemoryAuditSink;
import dev.latchkey.audit.StorageRequestEvent;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.WorkloadIdentity;
import dev.latchkey.policy.AccessDeniedException;
import dev.latchkey.policy.AccessPolicy;
import dev.latchkey.policy.Action;
import dev.latchkey.policy.Binding;
import dev.latchkey.policy.Role;
import dev.latchkey.policy.Rule;
import dev.latchkey.storage.ListRequest;
import dev.latchkey.storage.ObjectBody;
import dev.latchkey.storage.ObjectMetadata;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.storage.PresignRequest;
import dev.latchkey.storage.PutRequest;
import dev.latchkey.storage.StorageClient;
import dev.latchkey.storage.StorageException;
import dev.latchkey.testkit.Canary;
import dev.latchkey.testkit.S3ProxyServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The storage client over the native S3 backend, against S3Proxy. */
class S3StorageClientTest {

  private static final String CANARY = Canary.secret("s3-storage-client");
  private static final AccessPolicy POLICY = AccessPolicy.builder()
      .role(Role.builder().name("exporter")
          .rule(Rule.allow("exports").actions(Action.READ, Action.WRITE, Action.DELETE, Action.LIST)
              .resources("s3://reports/exports/**", "s3://reports//exports/**"))
          .build())
      .binding(Binding.builder().id("exporter").identities("report-exporter").roles("exporter").build())
      .build();

  private static S3ProxyServer s3;
  private static CredentialCache<AwsCredentials> keys;
  private static final InMemoryAuditSink AUDIT = new InMemoryAuditSink();
  private static StorageClient storage;

  @BeforeAll
  static void start() {
    s3 = S3ProxyServer.builder().identity("AKIDCLIENTTEST").credential(CANARY).exactKeys(true).start();
    s3.createBucket("reports");
    keys = CredentialCache.builder(() -> AwsCredentials.of("AKIDCLIENTTEST", SecretValue.of(CANARY))).build();
    storage = StorageClient.builder()
        .identity(WorkloadIdentity.of("report-exporter"))
        .policy(POLICY)
        .backend(S3Backend.factory())
        .endpoint(s3.endpoint())
        .region("us-east-1")
        .credentials(keys)
        .readTimeout(Duration.ofSeconds(20))
        .auditSink(AUDIT)
        .build();
  }

  @AfterAll
  static void stop() {
    storage.close();
    keys.close();
    s3.close();
  }

  @Test
  void putGetHeadListDelete() {
    ObjectRef ref = ObjectRef.of("reports", "exports/2026/q1 report+ü.csv");
    byte[] content = "region,total\nnorth,12\n".getBytes(StandardCharsets.UTF_8);

    storage.put(ref, content, "text/csv");
    ObjectMetadata head = storage.head(ref);
    List<String> keysListed = storage.list("reports", "exports/2026/").map(object -> object.key()).toList();
    byte[] read = storage.getBytes(ref);
    storage.delete(ref);

    assertThat(head.size()).isEqualTo(content.length);
    assertThat(keysListed).contains(ref.key());
    assertThat(read).isEqualTo(content);
    assertThat(s3.objectExists("reports", ref.key())).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"exports//double", "/exports/leading", "exports/trailing/", "exports/./dot", "exports/../dot-dot",
      "exports/a/.", "exports/a/..", "exports/sp ace+plus*star~tilde%25 100%", "exports/日本/é/😀",
      "exports/!$&'()+,;=:@[]?#"})
  void keyRoundTripsThroughClient(String key) {
    ObjectRef ref = ObjectRef.of("reports", key);
    byte[] content = ("bytes of " + key).getBytes(StandardCharsets.UTF_8);

    storage.put(ref, content, "text/plain");
    ObjectMetadata head = storage.head(ref);
    List<String> keysListed = storage.list("reports", key).map(object -> object.key()).toList();
    byte[] read = storage.getBytes(ref);
    storage.delete(ref);

    assertThat(head.size()).isEqualTo(content.length);
    assertThat(keysListed).contains(key);
    assertThat(read).isEqualTo(content);
    assertThat(s3.objectExists("reports", key)).isFalse();
  }

  /**
   * Keys with characters that XML 1.0 cannot carry, such as U+0001, are listed with the keys around
   * them, on every page. Without {@code encoding-type=url} the service cannot write them into the
   * listing, and the whole page fails.
   */
  @Test
  void listPagesKeysWithControlCharacters() {
    List<String> keys = List.of("exports/xml/a", "exports/xml/b\u0001c", "exports/xml/d\u001f/e", "exports/xml/f g+h",
        "exports/xml/i%2Bj");
    keys.forEach(key -> storage.put(ObjectRef.of("reports", key), key.getBytes(StandardCharsets.UTF_8), "text/plain"));

    List<String> flat = storage.list("reports", "exports/xml/").map(object -> object.key()).toList();
    List<String> paged = new java.util.ArrayList<>();
    List<String> prefixes = new java.util.ArrayList<>();
    storage.listPages(new ListRequest("reports", "exports/xml/", "/", null, 1)).forEach(page -> {
      page.objects().forEach(object -> paged.add(object.key()));
      prefixes.addAll(page.commonPrefixes());
    });
    keys.forEach(key -> storage.delete(ObjectRef.of("reports", key)));

    assertThat(flat).containsExactlyInAnyOrderElementsOf(keys);
    assertThat(paged).containsExactlyInAnyOrder("exports/xml/a", "exports/xml/b\u0001c", "exports/xml/f g+h",
        "exports/xml/i%2Bj");
    assertThat(prefixes).containsExactly("exports/xml/d\u001f/");
  }

  @Test
  void contentTypeWithLineBreakIsRejected() {
    ObjectRef ref = ObjectRef.of("reports", "exports/injected.txt");
    long requestsBefore = AUDIT.events(EventType.STORAGE_REQUEST).size();

    assertThatThrownBy(() -> storage.put(ref, new byte[] {1}, "text/plain\r\nX-Amz-Meta-Injected: yes"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid contentType")
        .hasMessageContaining("U+000D")
        .hasMessageNotContaining("Unexpected char");

    assertThat(AUDIT.events(EventType.STORAGE_REQUEST)).hasSize((int) requestsBefore);
    assertThat(s3.objectExists("reports", ref.key())).isFalse();
  }

  @Test
  void deniedWriteStoresNothing() {
    ObjectRef outside = ObjectRef.of("reports", "finance/salaries.csv");

    assertThatThrownBy(() -> storage.put(outside, new byte[] {1}, "text/csv")).isInstanceOf(AccessDeniedException.class);

    assertThat(s3.objectExists("reports", "finance/salaries.csv")).isFalse();
  }

  @Test
  void streamOfUnknownLengthUploads() {
    ObjectRef ref = ObjectRef.of("reports", "exports/stream.bin");
    byte[] content = new byte[200_000];
    new java.util.Random(7).nextBytes(content);

    storage.put(ref, ObjectBody.ofStream(new ByteArrayInputStream(content), ObjectBody.UNKNOWN_LENGTH), "application/octet-stream");

    assertThat(storage.getBytes(ref)).isEqualTo(content);
  }

  /**
   * A stream that fails after the first part of a multipart upload leaves only successful exchanges
   * (initiate, part, abort), so the failure itself needs an event of its own.
   */
  @Test
  void multipartStreamFailureIsAudited() {
    int partSize = 5 * 1024 * 1024;
    InMemoryAuditSink audit = new InMemoryAuditSink();
    S3Backend backend = S3Backend.builder().endpoint(s3.endpoint()).region("us-east-1").credentials(keys)
        .chunkedUploadThreshold(1024 * 1024).multipartThreshold(partSize).partSize(partSize).build();
    ObjectRef ref = ObjectRef.of("reports", "exports/broken-stream.bin");
    InputStream failing = new SequenceInputStream(new ByteArrayInputStream(new byte[partSize + 10]), new InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("disk read failed at the second part");
      }
    });

    try (StorageClient client = StorageClient.builder().identity(WorkloadIdentity.of("report-exporter")).policy(POLICY)
        .backend(backend).auditSink(audit).build()) {
      assertThatThrownBy(() -> client.put(ref, ObjectBody.ofStream(failing, ObjectBody.UNKNOWN_LENGTH), "application/octet-stream"))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("disk read failed at the second part");
    }

    List<StorageRequestEvent> events = audit.events(EventType.STORAGE_REQUEST).stream()
        .map(StorageRequestEvent.class::cast).toList();
    assertThat(events).extracting(StorageRequestEvent::method).containsExactly("POST", "PUT", "DELETE", "NONE");
    assertThat(events.get(3).outcome()).isEqualTo(EventOutcome.FAILURE);
    assertThat(events.get(3).errorMessage()).contains("disk read failed at the second part");
    assertThat(s3.objectExists("reports", ref.key())).isFalse();
  }

  /**
   * A stream that fails while a chunk-signed PUT is being written is the caller's failure, not the
   * network's. The error names it and is not retryable, because the stream is spent, and nothing is
   * stored.
   */
  @Test
  void chunkedStreamFailureIsNotRetryable() {
    S3Backend backend = S3Backend.builder().endpoint(s3.endpoint()).region("us-east-1").credentials(keys)
        .chunkedUploadThreshold(1024).build();
    ObjectRef ref = ObjectRef.of("reports", "exports/broken-chunked.bin");
    InputStream failing = new SequenceInputStream(new ByteArrayInputStream(new byte[100_000]), new InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("disk read failed in the middle");
      }
    });

    try (StorageClient client = StorageClient.builder().identity(WorkloadIdentity.of("report-exporter")).policy(POLICY)
        .backend(backend).build()) {
      Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
          () -> client.put(ref, ObjectBody.ofStream(failing, 200_000), "application/octet-stream"));

      assertThat(thrown).isInstanceOf(StorageException.class)
          .hasMessageContaining("upload body of s3://reports/exports/broken-chunked.bin")
          .hasMessageContaining("disk read failed in the middle")
          .hasMessageContaining("nothing was stored");
      assertThat(((StorageException) thrown).isRetryable()).isFalse();
    }
    assertThat(s3.objectExists("reports", ref.key())).isFalse();
  }

  /** A chunk-signed PUT whose stream ends before its declared length fails the same way. */
  @Test
  void chunkedStreamShorterThanDeclaredIsNotRetryable() {
    S3Backend backend = S3Backend.builder().endpoint(s3.endpoint()).region("us-east-1").credentials(keys)
        .chunkedUploadThreshold(1024).build();
    ObjectRef ref = ObjectRef.of("reports", "exports/short-chunked.bin");

    try (StorageClient client = StorageClient.builder().identity(WorkloadIdentity.of("report-exporter")).policy(POLICY)
        .backend(backend).build()) {
      Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> client.put(ref,
          ObjectBody.ofStream(new ByteArrayInputStream(new byte[100_000]), 200_000), "application/octet-stream"));

      assertThat(thrown).isInstanceOf(StorageException.class)
          .hasMessageContaining("ended after 100000 of 200000 declared bytes");
      assertThat(((StorageException) thrown).isRetryable()).isFalse();
    }
    assertThat(s3.objectExists("reports", ref.key())).isFalse();
  }

  @Test
  void downloadToFile(@TempDir Path directory) throws Exception {
    ObjectRef ref = ObjectRef.of("reports", "exports/file.txt");
    storage.put(ref, "to a file".getBytes(StandardCharsets.UTF_8), "text/plain");

    storage.getToFile(ref, directory.resolve("file.txt"));

    assertThat(Files.readString(directory.resolve("file.txt"))).isEqualTo("to a file");
  }

  @Test
  void downloadToMissingDirectoryNamesIt(@TempDir Path directory) {
    ObjectRef ref = ObjectRef.of("reports", "exports/file.txt");
    storage.put(ref, "to a file".getBytes(StandardCharsets.UTF_8), "text/plain");
    Path target = directory.resolve("no-such-folder").resolve("file.txt");

    assertThatThrownBy(() -> storage.getToFile(ref, target))
        .isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessageContaining(directory.resolve("no-such-folder").toString())
        .hasMessageContaining("does not exist; create it first");
  }

  @Test
  void missingObjectIsNotFound() {
    assertThatThrownBy(() -> storage.getBytes(ObjectRef.of("reports", "exports/missing.txt")))
        .isInstanceOfSatisfying(StorageException.class, e -> {
          assertThat(e.isNotFound()).isTrue();
          assertThat(e.errorCode()).isEqualTo("NoSuchKey");
        });
  }

  @Test
  void presignedUrlWorksWithoutCredentials() throws Exception {
    ObjectRef ref = ObjectRef.of("reports", "exports/shared.txt");
    storage.put(ref, "shared".getBytes(StandardCharsets.UTF_8), "text/plain");

    URI url = storage.presign(new PresignRequest(ref, PresignRequest.Method.GET, Duration.ofMinutes(5)));

    try (Response response = new OkHttpClient().newCall(new Request.Builder().url(url.toString()).build()).execute()) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.body().string()).isEqualTo("shared");
    }
  }

  @Test
  void putWithUserMetadataRoundTrips() {
    ObjectRef ref = ObjectRef.of("reports", "exports/tagged.csv");
    String value = Canary.secret("s3-metadata");
    long requestsBefore = AUDIT.events(EventType.STORAGE_REQUEST).size();

    storage.put(PutRequest.builder(ref, ObjectBody.ofBytes(new byte[] {1})).contentType("text/csv")
        .userMetadata("Owner", "billing").userMetadata("api-token", value).build());
    ObjectMetadata head = storage.head(ref);

    assertThat(head.userMetadata()).containsOnly(Map.entry("owner", "billing"), Map.entry("api-token", value));
    assertThat(AUDIT.events(EventType.STORAGE_REQUEST)).hasSize((int) requestsBefore + 2);
    assertThat(AUDIT.jsonLines()).noneMatch(line -> line.contains(value));
  }

  @Test
  void invalidMetadataNameIsRejectedBeforeSending() {
    ObjectRef ref = ObjectRef.of("reports", "exports/bad-metadata.csv");
    long requestsBefore = AUDIT.events(EventType.STORAGE_REQUEST).stream()
        .filter(event -> !"NONE".equals(((StorageRequestEvent) event).method())).count();

    assertThatThrownBy(() -> storage.put(PutRequest.builder(ref, ObjectBody.ofBytes(new byte[] {1}))
        .userMetadata("bad name", "x").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'bad name'");
    assertThat(AUDIT.events(EventType.STORAGE_REQUEST).stream()
        .filter(event -> !"NONE".equals(((StorageRequestEvent) event).method())).count()).isEqualTo(requestsBefore);
    assertThat(s3.objectExists("reports", ref.key())).isFalse();
  }

  @Test
  void auditEventsHoldNoSecret() {
    storage.put(ObjectRef.of("reports", "exports/audited.txt"), "x".getBytes(StandardCharsets.UTF_8), "text/plain");

    assertThat(AUDIT.events(EventType.STORAGE_REQUEST)).isNotEmpty();
    StorageRequestEvent event = (StorageRequestEvent) AUDIT.events(EventType.STORAGE_REQUEST).get(0);
    assertThat(event.credentialId()).isEqualTo("AKIDCLIENTTEST");
    assertThat(AUDIT.jsonLines()).noneMatch(line -> line.contains(CANARY));
  }

  @Test
  void credentialOfAnotherKindIsRejectedBeforeSending() {
    InMemoryAuditSink audit = new InMemoryAuditSink();
    CredentialCache<AccessToken> tokens = CredentialCache.builder(() -> AccessToken.bearer(SecretValue.of(CANARY), null)).build();
    ObjectRef ref = ObjectRef.of("reports", "exports/wrong-kind.txt");
    try (StorageClient wrongKind = StorageClient.builder()
        .identity(WorkloadIdentity.of("report-exporter"))
        .policy(POLICY)
        .backend(S3Backend.factory())
        .endpoint(s3.endpoint())
        .region("us-east-1")
        .credentials(tokens)
        .auditSink(audit)
        .build()) {

      assertThatThrownBy(() -> wrongKind.getBytes(ref))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("AccessToken")
          .hasMessageContaining("AwsCredentials")
          .hasMessageNotContaining(CANARY);
      assertThatThrownBy(() -> wrongKind.presign(new PresignRequest(ref, PresignRequest.Method.GET, Duration.ofMinutes(5))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("AwsCredentials");
    } finally {
      tokens.close();
    }
    assertThat(audit.events(EventType.STORAGE_REQUEST)).isNotEmpty();
    assertThat(audit.events(EventType.STORAGE_REQUEST))
        .map(event -> ((StorageRequestEvent) event).url())
        .containsOnlyNulls();
  }

  @Test
  void dotBucketIsRejectedBeforePresigning() {
    AccessPolicy anyBucket = AccessPolicy.builder()
        .role(Role.builder().name("shared").rule(Rule.allow("shared").actions(Action.READ).resources("s3://*/shared/**")).build())
        .binding(Binding.builder().id("shared").identities("report-exporter").roles("shared").build())
        .build();
    try (StorageClient shared = StorageClient.builder()
        .identity(WorkloadIdentity.of("report-exporter"))
        .policy(anyBucket)
        .backend(S3Backend.factory())
        .endpoint(s3.endpoint())
        .region("us-east-1")
        .credentials(keys)
        .build()) {

      for (String bucket : List.of(".", "..")) {
        PresignRequest request = new PresignRequest(ObjectRef.of(bucket, "shared/x"), PresignRequest.Method.GET, Duration.ofMinutes(5));
        assertThatThrownBy(() -> shared.presign(request))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("Invalid bucket name '" + bucket + "'");
      }
    }
  }
}
