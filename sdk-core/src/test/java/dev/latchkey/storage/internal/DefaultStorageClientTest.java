package dev.latchkey.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.audit.AccessAuditEvent;
import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditSink;
import dev.latchkey.audit.EventType;
import dev.latchkey.audit.InMemoryAuditSink;
import dev.latchkey.audit.StorageRequestEvent;
import dev.latchkey.credentials.WorkloadIdentity;
import dev.latchkey.policy.AccessDeniedException;
import dev.latchkey.policy.AccessPolicy;
import dev.latchkey.policy.Action;
import dev.latchkey.policy.Binding;
import dev.latchkey.policy.Role;
import dev.latchkey.policy.Rule;
import dev.latchkey.storage.ByteRange;
import dev.latchkey.storage.ListPage;
import dev.latchkey.storage.ListRequest;
import dev.latchkey.storage.ObjectBody;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.storage.PresignRequest;
import dev.latchkey.storage.PutRequest;
import dev.latchkey.storage.RetryPolicy;
import dev.latchkey.storage.StorageException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultStorageClientTest {

  private static final WorkloadIdentity EXPORTER = WorkloadIdentity.of("report-exporter");
  private static final AccessPolicy POLICY = AccessPolicy.builder()
      .role(Role.builder().name("exporter")
          .rule(Rule.allow("reports-rw").actions(Action.READ, Action.WRITE, Action.DELETE, Action.LIST)
              .resources("memory://reports/exports/**"))
          .build())
      .binding(Binding.builder().id("exporter-binding").identities("report-exporter").roles("exporter").build())
      .build();
  private static final RetryPolicy THREE_TRIES = new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1));

  private final ScriptedBackend backend = new ScriptedBackend();
  private final InMemoryAuditSink audit = new InMemoryAuditSink();
  private final List<Duration> waits = new ArrayList<>();
  private final DefaultStorageClient client = new DefaultStorageClient(EXPORTER, POLICY, List.of(audit), backend,
      THREE_TRIES, InstantSource.fixed(Instant.parse("2026-03-01T12:00:00Z")), Map.of("job", "nightly"), waits::add);

  @Test
  void deniedWriteNeverReachesBackend() {
    ObjectRef outside = ObjectRef.of("reports", "finance/q1.csv");

    assertThatThrownBy(() -> client.put(outside, "x".getBytes(StandardCharsets.UTF_8), "text/csv"))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("finance/q1.csv");

    assertThat(backend.calls.get()).isZero();
    assertThat(audit.events(EventType.ACCESS_DENIED)).hasSize(1);
    assertThat(audit.events(EventType.STORAGE_REQUEST)).isEmpty();
  }

  @Test
  void alternatingObjectsEachGetTheirOwnDecision() {
    ObjectRef inside = ObjectRef.of("reports", "exports/a.txt");
    ObjectRef outside = ObjectRef.of("reports", "finance/a.txt");
    ObjectRef otherBucket = ObjectRef.of("archive", "exports/a.txt");
    backend.objects.put(inside, new byte[] {7});
    backend.objects.put(outside, new byte[] {8});
    backend.objects.put(otherBucket, new byte[] {9});

    for (int round = 0; round < 3; round++) {
      assertThat(client.getBytes(inside)).as("allowed read, round %d", round).containsExactly(7);
      assertThatThrownBy(() -> client.getBytes(outside)).as("read outside the prefix, round %d", round)
          .isInstanceOf(AccessDeniedException.class).hasMessageContaining("finance/a.txt");
      assertThatThrownBy(() -> client.getBytes(otherBucket)).as("read in another bucket, round %d", round)
          .isInstanceOf(AccessDeniedException.class).hasMessageContaining("archive");
    }

    assertThat(backend.calls.get()).as("backend calls").isEqualTo(3);
    List<String> denied = audit.events(EventType.ACCESS_DENIED).stream()
        .map(event -> ((AccessAuditEvent) event).resource()).distinct().toList();
    assertThat(denied).containsExactly("memory://reports/finance/a.txt", "memory://archive/exports/a.txt");
  }

  @Test
  void allowedPutAndGetAreAudited() {
    ObjectRef ref = ObjectRef.of("reports", "exports/2026/q1.csv");

    client.put(ref, "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8), "text/csv");
    byte[] read = client.getBytes(ref);

    assertThat(new String(read, StandardCharsets.UTF_8)).isEqualTo("a,b\n1,2\n");
    assertThat(audit.events(EventType.ACCESS_ALLOWED)).hasSize(2);
    List<AuditEvent> requests = audit.events(EventType.STORAGE_REQUEST);
    assertThat(requests).hasSize(2);
    StorageRequestEvent put = (StorageRequestEvent) requests.get(0);
    assertThat(put.action()).isEqualTo("WRITE");
    assertThat(put.resource()).isEqualTo("memory://reports/exports/2026/q1.csv");
    assertThat(put.policyRule()).contains("reports-rw");
    assertThat(put.url()).doesNotContain("secret-signature");
  }

  @Test
  void retryableFailureIsRetriedAndAudited() {
    ObjectRef ref = ObjectRef.of("reports", "exports/a.txt");
    backend.objects.put(ref, new byte[] {1, 2, 3});
    backend.failures.add(new StorageException("busy", 503, "SlowDown", "r1", null, true));
    backend.failures.add(new StorageException("busy", 500, "InternalError", "r2", null, true));

    byte[] read = client.getBytes(ref);

    assertThat(read).containsExactly(1, 2, 3);
    assertThat(backend.calls.get()).isEqualTo(3);
    assertThat(waits).hasSize(2);
    assertThat(waits.get(0)).isBetween(Duration.ZERO, Duration.ofMillis(100));
    assertThat(waits.get(1)).isBetween(Duration.ZERO, Duration.ofMillis(200));
    List<Integer> statuses = audit.events(EventType.STORAGE_REQUEST).stream()
        .map(event -> ((StorageRequestEvent) event).statusCode()).toList();
    assertThat(statuses).containsExactly(503, 500, 200);
  }

  @Test
  void unauditedClientChecksPolicyAndRetries() {
    DefaultStorageClient unaudited = new DefaultStorageClient(EXPORTER, POLICY, List.of(AuditSink.NONE), backend,
        THREE_TRIES, InstantSource.fixed(Instant.parse("2026-03-01T12:00:00Z")), Map.of(), waits::add);
    ObjectRef ref = ObjectRef.of("reports", "exports/a.txt");
    backend.objects.put(ref, new byte[] {1, 2, 3});
    backend.failures.add(new StorageException("busy", 503, "SlowDown", "r1", null, true));

    byte[] read = unaudited.getBytes(ref);

    assertThat(read).containsExactly(1, 2, 3);
    assertThat(backend.calls.get()).isEqualTo(2);
    assertThat(waits).hasSize(1);
    assertThatThrownBy(() -> unaudited.getBytes(ObjectRef.of("reports", "finance/q1.csv")))
        .isInstanceOf(AccessDeniedException.class);
    assertThat(backend.calls.get()).isEqualTo(2);
  }

  @Test
  void noneBesideRealSinkStillAudits() {
    DefaultStorageClient audited = new DefaultStorageClient(EXPORTER, POLICY, List.of(AuditSink.NONE, audit), backend,
        THREE_TRIES, InstantSource.fixed(Instant.parse("2026-03-01T12:00:00Z")), Map.of(), waits::add);
    ObjectRef ref = ObjectRef.of("reports", "exports/a.txt");
    backend.objects.put(ref, new byte[] {1});

    audited.getBytes(ref);

    assertThat(audit.events(EventType.ACCESS_ALLOWED)).hasSize(1);
    assertThat(audit.events(EventType.STORAGE_REQUEST)).hasSize(1);
  }

  @Test
  void retryWaitsForRetryAfter() {
    ObjectRef ref = ObjectRef.of("reports", "exports/a.txt");
    backend.objects.put(ref, new byte[] {1});
    backend.failures.add(new StorageException("slow down", 429, "Http429", "r1", null, true, Duration.ofMillis(700)));

    client.head(ref);

    assertThat(backend.calls.get()).isEqualTo(2);
    assertThat(waits).containsExactly(Duration.ofMillis(700));
  }

  @Test
  void retryAfterIsCappedAtMaxDelay() {
    ObjectRef ref = ObjectRef.of("reports", "exports/a.txt");
    backend.objects.put(ref, new byte[] {1});
    backend.failures.add(new StorageException("busy", 503, "SlowDown", "r1", null, true, Duration.ofSeconds(30)));
    backend.failures.add(new StorageException("busy", 503, "SlowDown", "r2", null, true, Duration.ofSeconds(30)));

    client.head(ref);

    assertThat(waits).containsExactly(THREE_TRIES.maxDelay(), THREE_TRIES.maxDelay());
  }

  @Test
  void getBytesRejectsShortBody() {
    ObjectRef ref = ObjectRef.of("reports", "exports/short.bin");
    backend.objects.put(ref, new byte[] {1, 2, 3});
    backend.announcedSizes.put(ref, 5L);

    assertThatThrownBy(() -> client.getBytes(ref))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isRetryable()).isTrue())
        .hasMessageContaining("received 3 of 5 bytes");
  }

  @Test
  void getBytesRejectsLongBody() {
    ObjectRef ref = ObjectRef.of("reports", "exports/long.bin");
    backend.objects.put(ref, new byte[20_000]);
    backend.announcedSizes.put(ref, 2L);

    assertThatThrownBy(() -> client.getBytes(ref))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("received 20000 of 2 bytes");
  }

  @Test
  void getBytesReadsBodyOfUnknownLength() {
    ObjectRef ref = ObjectRef.of("reports", "exports/unknown.bin");
    byte[] stored = new byte[20_000];
    stored[19_999] = 7;
    backend.objects.put(ref, stored);
    backend.announcedSizes.put(ref, -1L);

    byte[] read = client.getBytes(ref);

    assertThat(read).isEqualTo(stored);
  }

  @Test
  void getBytesReadsEmptyObject() {
    ObjectRef ref = ObjectRef.of("reports", "exports/empty.bin");
    backend.objects.put(ref, new byte[0]);

    assertThat(client.getBytes(ref)).isEmpty();
  }

  @Test
  void retriesStopAtMaxAttempts() {
    ObjectRef ref = ObjectRef.of("reports", "exports/a.txt");
    for (int i = 0; i < 5; i++) {
      backend.failures.add(new StorageException("busy", 503, "SlowDown", "r" + i, null, true));
    }

    assertThatThrownBy(() -> client.head(ref)).isInstanceOf(StorageException.class).hasMessage("busy");

    assertThat(backend.calls.get()).isEqualTo(3);
    assertThat(audit.events(EventType.STORAGE_REQUEST)).hasSize(3);
  }

  @Test
  void nonRetryableFailureIsNotRetried() {
    ObjectRef ref = ObjectRef.of("reports", "exports/missing.txt");

    assertThatThrownBy(() -> client.getBytes(ref))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isNotFound()).isTrue());

    assertThat(backend.calls.get()).isEqualTo(1);
    assertThat(waits).isEmpty();
  }

  @Test
  void streamUploadIsNotRetried() {
    ObjectRef ref = ObjectRef.of("reports", "exports/stream.bin");
    backend.failures.add(new StorageException("busy", 503, "SlowDown", "r1", null, true));
    ObjectBody body = ObjectBody.ofStream(new ByteArrayInputStream(new byte[10]), 10);

    assertThatThrownBy(() -> client.put(ref, body, "application/octet-stream")).isInstanceOf(StorageException.class);

    assertThat(backend.calls.get()).isEqualTo(1);
    assertThat(backend.objects).doesNotContainKey(ref);
  }

  @Test
  void listingFetchesPagesLazily() {
    for (int i = 0; i < 7; i++) {
      backend.objects.put(ObjectRef.of("reports", "exports/" + i), new byte[i]);
    }

    String first = client.list("reports", "exports/").findFirst().orElseThrow().key();
    int pagesForFirst = backend.listRequests.size();
    String all = client.list("reports", "exports/").map(summary -> summary.key()).collect(Collectors.joining(","));

    assertThat(first).isEqualTo("exports/0");
    assertThat(pagesForFirst).isEqualTo(1);
    assertThat(all).isEqualTo("exports/0,exports/1,exports/2,exports/3,exports/4,exports/5,exports/6");
    assertThat(backend.listRequests).hasSize(1 + 4);
  }

  @Test
  void listingOutsidePrefixIsDenied() {
    assertThatThrownBy(() -> client.list("reports", "finance/").count()).isInstanceOf(AccessDeniedException.class);
    assertThat(backend.listRequests).isEmpty();
  }

  @Test
  void presignChecksTheGrantedAction() {
    PolicyReadOnly readOnly = new PolicyReadOnly();
    ObjectRef ref = ObjectRef.of("reports", "exports/a.txt");

    assertThat(readOnly.client.presign(new PresignRequest(ref, PresignRequest.Method.GET, Duration.ofMinutes(5))))
        .hasPath("/reports/exports/a.txt");
    assertThatThrownBy(() -> readOnly.client.presign(new PresignRequest(ref, PresignRequest.Method.PUT, Duration.ofMinutes(5))))
        .isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void failedDownloadLeavesNoFile(@TempDir Path directory) throws IOException {
    Path target = directory.resolve("q1.csv");
    backend.failures.add(new StorageException("gone", 404, "NoSuchKey", "r1", null, false));

    assertThatThrownBy(() -> client.getToFile(ObjectRef.of("reports", "exports/q1.csv"), target))
        .isInstanceOf(StorageException.class);

    try (var files = Files.list(directory)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void downloadToFileReplacesTarget(@TempDir Path directory) throws IOException {
    Path target = directory.resolve("q1.csv");
    Files.writeString(target, "old");
    backend.objects.put(ObjectRef.of("reports", "exports/q1.csv"), "new".getBytes(StandardCharsets.UTF_8));

    client.getToFile(ObjectRef.of("reports", "exports/q1.csv"), target);

    assertThat(Files.readString(target)).isEqualTo("new");
    try (var files = Files.list(directory)) {
      assertThat(files).containsExactly(target);
    }
  }

  @Test
  void failureBeforeExchangeIsAudited() {
    ObjectRef ref = ObjectRef.of("reports", "exports/a.txt");
    DefaultStorageClient broken = new DefaultStorageClient(EXPORTER, POLICY, List.of(audit), new ScriptedBackend() {
      @Override
      public dev.latchkey.storage.ObjectMetadata head(ObjectRef r, dev.latchkey.storage.ExchangeListener l) {
        throw new IllegalStateException("no credential");
      }
    }, RetryPolicy.NONE, InstantSource.system(), Map.of(), waits::add);

    assertThatThrownBy(() -> broken.head(ref)).isInstanceOf(IllegalStateException.class);

    List<AuditEvent> requests = audit.events(EventType.STORAGE_REQUEST);
    assertThat(requests).hasSize(1);
    assertThat(((StorageRequestEvent) requests.get(0)).errorMessage()).contains("no credential");
  }

  @Test
  void closedClientRejectsEveryOperation() {
    ObjectRef ref = ObjectRef.of("reports", "exports/a.txt");
    backend.objects.put(ref, new byte[] {1});
    client.close();
    Map<String, ThrowingCallable> operations = new LinkedHashMap<>();
    operations.put("getBytes", () -> client.getBytes(ref));
    operations.put("get", () -> client.get(ref));
    operations.put("get range", () -> client.get(ref, ByteRange.from(0)));
    operations.put("getToFile", () -> client.getToFile(ref, Path.of("unused.bin")));
    operations.put("put bytes", () -> client.put(ref, new byte[] {2}, "text/plain"));
    operations.put("put body", () -> client.put(ref, ObjectBody.ofBytes(new byte[] {2}), "text/plain"));
    operations.put("put request", () -> client.put(PutRequest.builder(ref, ObjectBody.ofBytes(new byte[] {2}))
        .userMetadata("owner", "ops").build()));
    operations.put("delete", () -> client.delete(ref));
    operations.put("head", () -> client.head(ref));
    operations.put("list", () -> client.list("reports", "exports/"));
    operations.put("listPages", () -> client.listPages(ListRequest.of("reports", "exports/")));
    operations.put("presign", () -> client.presign(
        new PresignRequest(ref, PresignRequest.Method.GET, Duration.ofMinutes(5))));

    operations.forEach((name, operation) -> assertThatThrownBy(operation)
        .as(name)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is closed"));

    assertThat(backend.calls.get()).isZero();
    assertThat(audit.events()).isEmpty();
  }

  @Test
  void listStreamFailsAfterClose() {
    backend.objects.put(ObjectRef.of("reports", "exports/a.txt"), new byte[] {1});
    Stream<ListPage.ObjectSummary> listing = client.list("reports", "exports/");
    client.close();

    assertThatThrownBy(() -> listing.toList())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is closed");
    assertThat(backend.calls.get()).isZero();
  }

  @Test
  void closeIsIdempotent() {
    client.close();
    client.close();

    assertThat(backend.closes.get()).isEqualTo(1);
  }

  @Test
  void contentTypeWithLineBreakIsRejected() {
    ObjectRef ref = ObjectRef.of("reports", "exports/a.txt");

    assertThatThrownBy(() -> client.put(ref, new byte[] {1}, "text/plain\r\nX-Injected: yes"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid contentType 'text/plain\\u000D\\u000AX-Injected: yes'")
        .hasMessageContaining("U+000D at index 10")
        .hasMessageContaining("printable ASCII");
    assertThat(backend.calls.get()).isZero();
    assertThat(audit.events()).isEmpty();
  }

  @Test
  void contentTypeCharacterRangeIsChecked() {
    ObjectRef ref = ObjectRef.of("reports", "exports/a.txt");

    client.put(ref, new byte[] {1}, "text/plain;\tcharset=\"utf-8\"; x=~");

    for (String invalid : List.of("text/plain\u0000", "text/plain\u007f", "text/plain; name=é", "text/\u2028x")) {
      assertThatThrownBy(() -> client.put(ref, new byte[] {1}, invalid))
          .as(invalid)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Invalid contentType");
    }
    assertThat(backend.calls.get()).isEqualTo(1);
  }

  @Test
  void userMetadataReachesBackendButNoAuditEvent() {
    ObjectRef ref = ObjectRef.of("reports", "exports/tagged.txt");
    String secret = "metadata-value-" + System.nanoTime();

    client.put(PutRequest.builder(ref, ObjectBody.ofBytes(new byte[] {1})).contentType("text/plain")
        .userMetadata("Api-Token", secret).build());

    assertThat(backend.userMetadata.get(ref)).containsExactly(Map.entry("Api-Token", secret));
    assertThat(audit.events(EventType.STORAGE_REQUEST)).hasSize(1);
    assertThat(audit.jsonLines()).isNotEmpty().allSatisfy(line -> {
      assertThat(line).doesNotContain(secret);
      assertThat(line).doesNotContain("Api-Token");
    });
  }

  @Test
  void deniedPutWithMetadataNeverReachesBackend() {
    ObjectRef outside = ObjectRef.of("reports", "finance/tagged.txt");

    assertThatThrownBy(() -> client.put(PutRequest.builder(outside, ObjectBody.ofBytes(new byte[] {1}))
        .userMetadata("owner", "ops").build()))
        .isInstanceOf(AccessDeniedException.class);
    assertThat(backend.calls.get()).isZero();
  }

  @Test
  void metadataForBackendWithoutSupportIsRejected() {
    backend.storesUserMetadata = false;
    ObjectRef ref = ObjectRef.of("reports", "exports/tagged.txt");

    assertThatThrownBy(() -> client.put(PutRequest.builder(ref, ObjectBody.ofBytes(new byte[] {1}))
        .userMetadata("owner", "secret-value").build()))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("ScriptedBackend does not store user metadata")
        .hasMessageContaining("[owner]")
        .hasMessageNotContaining("secret-value");
    assertThat(backend.calls.get()).isZero();
    assertThat(backend.objects).isEmpty();
  }

  @Test
  void putRequestWithoutMetadataWorksWithAnyBackend() {
    backend.storesUserMetadata = false;
    ObjectRef ref = ObjectRef.of("reports", "exports/plain.txt");

    client.put(PutRequest.of(ref, ObjectBody.ofBytes(new byte[] {7}), "text/plain"));

    assertThat(backend.objects.get(ref)).containsExactly(7);
  }

  /** A client whose policy allows reading only. */
  private final class PolicyReadOnly {
    final DefaultStorageClient client = new DefaultStorageClient(EXPORTER,
        AccessPolicy.builder()
            .role(Role.builder().name("reader")
                .rule(Rule.allow("read").actions(Action.READ).resources("memory://reports/**")).build())
            .binding(Binding.builder().id("b").identities("report-exporter").roles("reader").build())
            .build(),
        List.of(audit), backend, RetryPolicy.NONE, InstantSource.system(), Map.of(), waits::add);
  }
}
