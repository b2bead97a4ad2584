package dev.latchkey.azure.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.azure.BlobBackend;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.SharedKey;
import dev.latchkey.storage.ByteRange;
import dev.latchkey.storage.Exchange;
import dev.latchkey.storage.ListPage;
import dev.latchkey.storage.ListRequest;
import dev.latchkey.storage.ObjectBody;
import dev.latchkey.storage.ObjectContent;
import dev.latchkey.storage.ObjectMetadata;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.storage.StorageException;
import dev.latchkey.testkit.AzuriteServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every backend operation against Azurite in strict mode, authorized with Shared Key. */
class BlobBackendSharedKeyTest {

  private static final String CONTAINER = "reports";
  private static AzuriteServer azurite;
  private static OkHttpClient client;
  private static BlobBackend backend;
  private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startAzurite() {
    azurite = AzuriteFixture.start(AzuriteServer.builder());
    client = AzuriteFixture.client(azurite);
    AzuriteFixture.createContainer(azurite, client, CONTAINER);
    AzuriteFixture.createContainer(azurite, client, "listing");
    AzuriteFixture.createContainer(azurite, client, "names");
    backend = backendBuilder().build();
  }

  @AfterAll
  static void stopAzurite() {
    if (backend != null) {
      backend.close();
    }
    if (azurite != null) {
      azurite.close();
    }
  }

  private static BlobBackend.Builder backendBuilder() {
    return BlobBackend.builder().endpoint(azurite.blobEndpoint()).allowPlainHttpOnLoopback()
        .sharedKey(AzuriteFixture.key(azurite)).httpClient(client);
  }

  @Test
  void putHeadGetDeleteRoundTrip() throws IOException {
    ObjectRef ref = ObjectRef.of(CONTAINER, "2026/q1.csv");
    byte[] content = "id,amount\n1,42\n".getBytes(StandardCharsets.UTF_8);

    ObjectMetadata put = backend.put(ref, ObjectBody.ofBytes(content), "text/csv", exchanges::add);
    ObjectMetadata head = backend.head(ref, exchanges::add);
    byte[] downloaded;
    try (ObjectContent object = backend.get(ref, null, exchanges::add)) {
      downloaded = object.stream().readAllBytes();
    }
    backend.delete(ref, exchanges::add);

    assertThat(put.eTag()).isNotBlank();
    assertThat(head.size()).isEqualTo(content.length);
    assertThat(head.contentType()).isEqualTo("text/csv");
    assertThat(head.eTag()).isEqualTo(put.eTag());
    assertThat(head.lastModified()).isNotNull();
    assertThat(downloaded).isEqualTo(content);
    assertThatThrownBy(() -> backend.head(ref, exchanges::add))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isNotFound()).isTrue());
  }

  /** OkHttp trims header values before it sends them, so the signature must cover the trimmed value. */
  @Test
  void paddedContentTypeIsSignedTrimmed() {
    ObjectRef ref = ObjectRef.of(CONTAINER, "padded-type.txt");

    ObjectMetadata put = backend.put(ref, ObjectBody.ofBytes(new byte[] {1}), " text/plain ", exchanges::add);

    assertThat(put.contentType()).isEqualTo("text/plain");
    assertThat(backend.head(ref, exchanges::add).contentType()).isEqualTo("text/plain");
  }

  @Test
  void nullListenerIsAccepted() {
    ObjectRef ref = ObjectRef.of(CONTAINER, "no-listener.txt");

    backend.put(ref, ObjectBody.ofBytes(new byte[] {1}), null, null);

    assertThat(backend.head(ref, null).size()).isEqualTo(1);
  }

  @Test
  void emptyBlobRoundTrips() throws IOException {
    ObjectRef ref = ObjectRef.of(CONTAINER, "empty.txt");

    backend.put(ref, ObjectBody.ofBytes(new byte[0]), null, exchanges::add);

    try (ObjectContent object = backend.get(ref, null, exchanges::add)) {
      assertThat(object.stream().readAllBytes()).isEmpty();
      assertThat(object.metadata().size()).isZero();
    }
  }

  @Test
  void deleteOfMissingBlobSucceeds() {
    backend.delete(ObjectRef.of(CONTAINER, "never-written"), exchanges::add);

    assertThat(exchanges).singleElement().satisfies(exchange -> assertThat(exchange.statusCode()).isEqualTo(404));
  }

  @Test
  void rangedGetReturnsBytesAndTotalSize() throws IOException {
    ObjectRef ref = ObjectRef.of(CONTAINER, "range.bin");
    backend.put(ref, ObjectBody.ofBytes("0123456789".getBytes(StandardCharsets.US_ASCII)), null, exchanges::add);

    try (ObjectContent object = backend.get(ref, new ByteRange(2, 5), exchanges::add)) {
      assertThat(new String(object.stream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("2345");
      assertThat(object.metadata().size()).isEqualTo(10);
    }
    try (ObjectContent object = backend.get(ref, ByteRange.from(7), exchanges::add)) {
      assertThat(new String(object.stream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("789");
    }
  }

  @Test
  void headReturnsUserMetadata() {
    ObjectRef ref = ObjectRef.of(CONTAINER, "with-metadata.txt");
    backend.put(ref, ObjectBody.ofBytes(new byte[] {1}), null, exchanges::add);
    AzuriteFixture.setMetadata(azurite, client, ref, "Owner", "billing");

    ObjectMetadata head = backend.head(ref, exchanges::add);

    assertThat(head.userMetadata()).containsEntry("owner", "billing");
  }

  @Test
  void largeStreamUploadsInBlocks() throws IOException {
    BlobBackend blocks = backendBuilder().singlePutThreshold(64 * 1024).blockSize(16 * 1024).build();
    ObjectRef ref = ObjectRef.of(CONTAINER, "big/stream.bin");
    byte[] content = randomBytes(100 * 1024 + 17);

    ObjectMetadata put = blocks.put(ref, ObjectBody.ofStream(new ByteArrayInputStream(content), ObjectBody.UNKNOWN_LENGTH),
        "application/octet-stream", exchanges::add);

    try (ObjectContent object = blocks.get(ref, null, exchanges::add)) {
      assertThat(object.stream().readAllBytes()).isEqualTo(content);
      assertThat(object.metadata().contentType()).isEqualTo("application/octet-stream");
    }
    assertThat(put.size()).isEqualTo(content.length);
    assertThat(exchanges.stream().filter(e -> e.url().contains("comp=block&"))).hasSize(7);
    assertThat(exchanges.stream().filter(e -> e.url().contains("comp=blocklist"))).hasSize(1);
  }

  @Test
  void largeBytesUploadInBlocks() throws IOException {
    BlobBackend blocks = backendBuilder().singlePutThreshold(32 * 1024).blockSize(8 * 1024).build();
    ObjectRef ref = ObjectRef.of(CONTAINER, "big/bytes.bin");
    byte[] content = randomBytes(40 * 1024);

    blocks.put(ref, ObjectBody.ofBytes(content), null, exchanges::add);

    try (ObjectContent object = blocks.get(ref, null, exchanges::add)) {
      assertThat(object.stream().readAllBytes()).isEqualTo(content);
    }
  }

  @Test
  void failedBlockUploadCommitsNothing() {
    BlobBackend blocks = backendBuilder().singlePutThreshold(8 * 1024).blockSize(4 * 1024).build();
    ObjectRef ref = ObjectRef.of(CONTAINER, "big/broken.bin");
    InputStream breaking = new BreakingStream(randomBytes(20 * 1024), 12 * 1024);

    assertThatThrownBy(() -> blocks.put(ref, ObjectBody.ofStream(breaking, 20 * 1024), null, exchanges::add))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("nothing was committed");

    assertThat(exchanges.stream().filter(e -> e.url().contains("comp=block&"))).isNotEmpty();
    assertThatThrownBy(() -> blocks.head(ref, exchanges::add))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isNotFound()).isTrue());
  }

  @Test
  void shortStreamCommitsNothing() {
    BlobBackend blocks = backendBuilder().singlePutThreshold(8 * 1024).blockSize(4 * 1024).build();
    ObjectRef ref = ObjectRef.of(CONTAINER, "big/short.bin");

    assertThatThrownBy(() -> blocks.put(ref, ObjectBody.ofStream(new ByteArrayInputStream(randomBytes(10_000)), 12_000),
        null, exchanges::add))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("declared 12000");

    assertThatThrownBy(() -> blocks.head(ref, exchanges::add)).isInstanceOf(StorageException.class);
  }

  @Test
  void listPaginatesWithPrefixAndDelimiter() {
    for (String name : List.of("logs/a.txt", "logs/b.txt", "logs/c.txt", "logs/sub/d.txt", "other.txt")) {
      backend.put(ObjectRef.of("listing", name), ObjectBody.ofBytes(new byte[] {7}), null, exchanges::add);
    }
    List<String> keys = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    ListRequest request = new ListRequest("listing", "logs/", "/", null, 2);
    int pages = 0;

    for (ListPage page = backend.list(request, exchanges::add); ; ) {
      pages++;
      page.objects().forEach(summary -> keys.add(summary.key()));
      prefixes.addAll(page.commonPrefixes());
      if (page.nextToken().isEmpty()) {
        break;
      }
      page = backend.list(request.withContinuationToken(page.nextToken().get()), exchanges::add);
    }

    assertThat(keys).containsExactly("logs/a.txt", "logs/b.txt", "logs/c.txt");
    assertThat(prefixes).containsExactly("logs/sub/");
    assertThat(pages).isGreaterThan(1);
  }

  @Test
  void listReportsSizesAndEtags() {
    backend.put(ObjectRef.of("listing", "sized/one.bin"), ObjectBody.ofBytes(new byte[3]), null, exchanges::add);

    ListPage page = backend.list(ListRequest.of("listing", "sized/"), exchanges::add);

    assertThat(page.objects()).singleElement().satisfies(summary -> {
      assertThat(summary.size()).isEqualTo(3);
      assertThat(summary.eTag()).isNotBlank();
      assertThat(summary.lastModified()).isNotNull();
    });
  }

  @Test
  void specialNamesRoundTripByteForByte() throws IOException {
    List<String> names = List.of("a!$&'()*,:;=@b.txt", "with space/and+plus.txt", "100%/percent%20kept.txt",
        "unicodé/日本語/🙂.txt", "tricky?#[]{}^`|\"<>~.txt");
    for (String name : names) {
      byte[] content = name.getBytes(StandardCharsets.UTF_8);
      ObjectRef ref = ObjectRef.of("names", name);

      backend.put(ref, ObjectBody.ofBytes(content), null, exchanges::add);

      try (ObjectContent object = backend.get(ref, null, exchanges::add)) {
        assertThat(object.stream().readAllBytes()).as(name).isEqualTo(content);
      }
    }

    List<String> listed = new ArrayList<>();
    backend.list(ListRequest.of("names", ""), exchanges::add).objects().forEach(s -> listed.add(s.key()));
    assertThat(listed).containsExactlyInAnyOrderElementsOf(names);
  }

  @Test
  void missingBlobMapsToTypedError() {
    ObjectRef ref = ObjectRef.of(CONTAINER, "missing.txt");

    assertThatThrownBy(() -> backend.get(ref, null, exchanges::add))
        .isInstanceOfSatisfying(StorageException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(404);
          assertThat(e.errorCode()).isEqualTo("BlobNotFound");
          assertThat(e.requestId()).isNotBlank();
          assertThat(e.isRetryable()).isFalse();
          assertThat(e.getMessage()).contains("BlobNotFound").contains(e.requestId()).contains("reports/missing.txt");
        });
  }

  @Test
  void wrongKeyIsRejectedWithoutLeakingSignature() {
    BlobBackend wrong = BlobBackend.builder().endpoint(azurite.blobEndpoint()).allowPlainHttpOnLoopback()
        .sharedKey(SharedKey.of("devstoreaccount1", SecretValue.of("d3Jvbmcta2V5LWJ5dGVzLWZvci10ZXN0cw==")))
        .httpClient(client).build();

    assertThatThrownBy(() -> wrong.head(ObjectRef.of(CONTAINER, "x"), exchanges::add))
        .isInstanceOfSatisfying(StorageException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(403);
          assertThat(e.getMessage()).doesNotContain("SharedKey devstoreaccount1:");
        });
    assertThat(exchanges).hasSize(2);
  }

  @Test
  void exchangesNameCredentialAndStatus() {
    backend.put(ObjectRef.of(CONTAINER, "exchange.txt"), ObjectBody.ofBytes(new byte[5]), null, exchanges::add);

    assertThat(exchanges).singleElement().satisfies(exchange -> {
      assertThat(exchange.method()).isEqualTo("PUT");
      assertThat(exchange.statusCode()).isEqualTo(201);
      assertThat(exchange.requestId()).isNotBlank();
      assertThat(exchange.credentialId()).startsWith("devstoreaccount1:key-sha256:");
      assertThat(exchange.bytesSent()).isEqualTo(5);
      assertThat(exchange.url()).endsWith("/devstoreaccount1/reports/exchange.txt");
    });
  }

  @Test
  void containerResourceNamesAccount() {
    assertThat(backend.containerResource("reports")).isEqualTo("azure://devstoreaccount1/reports");
  }

  private static byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    new Random(length).nextBytes(bytes);
    return bytes;
  }

  /** A stream that fails after a number of bytes, like a connection that drops. */
  private static final class BreakingStream extends InputStream {
    private final ByteArrayInputStream bytes;
    private final int failAfter;
    private int position;

    BreakingStream(byte[] content, int failAfter) {
      this.bytes = new ByteArrayInputStream(content);
      this.failAfter = failAfter;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (position >= failAfter) {
        throw new IOException("connection reset by the source");
      }
      int read = bytes.read(buffer, offset, Math.min(length, failAfter - position));
      position += Math.max(read, 0);
      return read;
    }
  }
}
