package dev.latchkey.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.storage.ByteRange;
import dev.latchkey.storage.Exchange;
import dev.latchkey.storage.ExchangeListener;
import dev.latchkey.storage.ListPage;
import dev.latchkey.storage.ListRequest;
import dev.latchkey.storage.ObjectBody;
import dev.latchkey.storage.ObjectContent;
import dev.latchkey.storage.ObjectMetadata;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.storage.PresignRequest;
import dev.latchkey.storage.StorageException;
import dev.latchkey.testkit.Canary;
import dev.latchkey.testkit.S3ProxyServer;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The S3 backend against a real S3Proxy on loopback, which checks every signature. */
class S3BackendTest {

  private static final String BUCKET = "latchkey";
  private static final OkHttpClient HTTP = new OkHttpClient();

  private static S3ProxyServer server;
  private static S3Backend backend;

  private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
  private final ExchangeListener listener = exchanges::add;

  @BeforeAll
  static void startServer() {
    server = S3ProxyServer.builder().exactKeys(true).start();
    server.createBucket(BUCKET);
    backend = backendBuilder().build();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  static S3Backend.Builder backendBuilder() {
    AwsCredentials keys = AwsCredentials.of(server.identity(), SecretValue.of(server.credential()));
    return S3Backend.builder().endpoint(server.endpoint()).region("us-east-1").credentials(() -> keys)
        .httpClient(HTTP);
  }

  @Test
  void putThenGetReturnsSameBytes() throws IOException {
    ObjectRef ref = ObjectRef.of(BUCKET, "reports/q1.csv");

    ObjectMetadata stored = backend.put(ref, ObjectBody.ofBytes(bytes("a,b\n1,2\n")), "text/csv", listener);

    assertThat(stored.eTag()).isNotBlank();
    try (ObjectContent content = backend.get(ref, null, listener)) {
      assertThat(content.stream().readAllBytes()).isEqualTo(bytes("a,b\n1,2\n"));
      assertThat(content.metadata().contentType()).isEqualTo("text/csv");
    }
  }

  @Test
  void rangedGetReturnsRange() throws IOException {
    ObjectRef ref = ObjectRef.of(BUCKET, "range.txt");
    backend.put(ref, ObjectBody.ofBytes(bytes("0123456789")), "text/plain", listener);

    try (ObjectContent content = backend.get(ref, new ByteRange(2, 5), listener)) {
      assertThat(new String(content.stream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("2345");
      assertThat(content.metadata().size()).isEqualTo(10);
    }
  }

  @Test
  void headReturnsMetadata() {
    ObjectRef ref = ObjectRef.of(BUCKET, "head.bin");
    backend.put(ref, ObjectBody.ofBytes(new byte[1234]), "application/octet-stream", listener);

    ObjectMetadata metadata = backend.head(ref, listener);

    assertThat(metadata.size()).isEqualTo(1234);
    assertThat(metadata.eTag()).isNotBlank();
    assertThat(metadata.lastModified()).isNotNull();
  }

  @Test
  void headReturnsUserMetadataInLowerCase() throws IOException {
    ObjectRef ref = ObjectRef.of(BUCKET, "metadata/tagged.txt");
    URI put = backend.presign(new PresignRequest(ref, PresignRequest.Method.PUT, Duration.ofMinutes(5)));
    Request upload = new Request.Builder().url(put.toString())
        .header("X-Amz-Meta-Owner", "ops")
        .header("x-amz-meta-retention-days", "30")
        .put(RequestBody.create(bytes("tagged"), MediaType.get("text/plain"))).build();
    try (Response response = HTTP.newCall(upload).execute()) {
      assertThat(response.code()).isEqualTo(200);
    }

    ObjectMetadata metadata = backend.head(ref, listener);

    assertThat(metadata.userMetadata()).containsOnly(Map.entry("owner", "ops"), Map.entry("retention-days", "30"));
    assertThat(metadata.contentType()).isEqualTo("text/plain");
  }

  @Test
  void deleteRemovesObject() {
    ObjectRef ref = ObjectRef.of(BUCKET, "delete-me.txt");
    backend.put(ref, ObjectBody.ofBytes(bytes("x")), "text/plain", listener);

    backend.delete(ref, listener);

    assertThat(server.objectExists(BUCKET, "delete-me.txt")).isFalse();
    backend.delete(ref, listener);
  }

  @Test
  void nullListenerIsAccepted() throws IOException {
    ObjectRef ref = ObjectRef.of(BUCKET, "no-listener.txt");

    backend.put(ref, ObjectBody.ofBytes(bytes("quiet")), "text/plain", null);

    assertThat(backend.head(ref, null).size()).isEqualTo(5);
    try (ObjectContent object = backend.get(ref, null, null)) {
      assertThat(object.stream().readAllBytes()).isEqualTo(bytes("quiet"));
    }
    assertThat(backend.list(ListRequest.of(BUCKET, "no-listener"), null).objects()).hasSize(1);
    backend.delete(ref, null);
    assertThat(server.objectExists(BUCKET, "no-listener.txt")).isFalse();
  }

  @Test
  void getMissingObjectThrowsNoSuchKey() {
    StorageException error = org.junit.jupiter.api.Assertions.assertThrows(StorageException.class,
        () -> backend.get(ObjectRef.of(BUCKET, "missing.txt"), null, listener));

    assertThat(error.statusCode()).isEqualTo(404);
    assertThat(error.errorCode()).isEqualTo("NoSuchKey");
    assertThat(error.isNotFound()).isTrue();
    assertThat(error.isRetryable()).isFalse();
  }

  @Test
  void reportsEachExchange() {
    backend.put(ObjectRef.of(BUCKET, "reported.txt"), ObjectBody.ofBytes(bytes("abc")), "text/plain", listener);

    assertThat(exchanges).hasSize(1);
    Exchange exchange = exchanges.get(0);
    assertThat(exchange.method()).isEqualTo("PUT");
    assertThat(exchange.statusCode()).isEqualTo(200);
    assertThat(exchange.credentialId()).isEqualTo(server.identity());
    assertThat(exchange.bytesSent()).isEqualTo(3);
    assertThat(exchange.url()).endsWith("/latchkey/reported.txt");
  }

  @Test
  void listPaginatesWithPrefix() {
    for (int i = 0; i < 5; i++) {
      backend.put(ObjectRef.of(BUCKET, "paged/" + i), ObjectBody.ofBytes(bytes("p" + i)), "text/plain", listener);
    }
    backend.put(ObjectRef.of(BUCKET, "other/x"), ObjectBody.ofBytes(bytes("o")), "text/plain", listener);

    List<String> keys = new ArrayList<>();
    ListRequest request = new ListRequest(BUCKET, "paged/", null, null, 2);
    int pages = 0;
    while (request != null) {
      ListPage page = backend.list(request, listener);
      page.objects().forEach(object -> keys.add(object.key()));
      request = page.nextToken().map(request::withContinuationToken).orElse(null);
      pages++;
    }

    assertThat(keys).containsExactly("paged/0", "paged/1", "paged/2", "paged/3", "paged/4");
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void listGroupsByDelimiter() {
    backend.put(ObjectRef.of(BUCKET, "tree/a/1"), ObjectBody.ofBytes(bytes("1")), "text/plain", listener);
    backend.put(ObjectRef.of(BUCKET, "tree/b/2"), ObjectBody.ofBytes(bytes("2")), "text/plain", listener);
    backend.put(ObjectRef.of(BUCKET, "tree/top"), ObjectBody.ofBytes(bytes("3")), "text/plain", listener);

    ListPage page = backend.list(new ListRequest(BUCKET, "tree/", "/", null, 100), listener);

    assertThat(page.commonPrefixes()).containsExactly("tree/a/", "tree/b/");
    assertThat(page.objects()).extracting(ListPage.ObjectSummary::key).containsExactly("tree/top");
    assertThat(page.nextToken()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "keys/with space", "keys/plus+sign", "keys/star*", "keys/tilde~", "keys/percent%20literal", "keys/100%",
      "keys/reserved !$&'()+,;=:@[]", "keys/query?mark#hash", "keys/non-ascii ሴ é 日本 😀",
      "keys/dots.in.name/..hidden/.config", "keys/a/...", "keys/back\\slash", "keys/quote\"and<angle>",
      "keys/double//slash", "keys/a///b//", "keys/trailing/", "/keys/leading", "//keys/two-leading", "/",
      "keys/./dot", "keys/../dot-dot", "./keys/dot-first", "../keys/dot-dot-first", "keys/.", "keys/..",
      "keys/./.././/x/", ".../keys", "keys/%2F/%2e%2e/encoded-looking"})
  void keyRoundTripsThroughS3Proxy(String key) throws IOException {
    ObjectRef ref = ObjectRef.of(BUCKET, key);
    byte[] content = bytes("content of " + key);

    backend.put(ref, ObjectBody.ofBytes(content), "text/plain", listener);

    ListPage page = backend.list(ListRequest.of(BUCKET, key), listener);
    assertThat(page.objects()).extracting(ListPage.ObjectSummary::key).contains(key);
    try (ObjectContent got = backend.get(ref, null, listener)) {
      assertThat(got.stream().readAllBytes()).isEqualTo(content);
      assertThat(got.metadata().ref()).isEqualTo(ref);
    }
    assertThat(backend.head(ref, listener).size()).isEqualTo(content.length);
    assertThat(server.objectExists(BUCKET, key)).isTrue();

    backend.delete(ref, listener);

    assertThat(server.objectExists(BUCKET, key)).isFalse();
    StorageException headAfterDelete = org.junit.jupiter.api.Assertions.assertThrows(StorageException.class,
        () -> backend.head(ref, listener));
    assertThat(headAfterDelete.isNotFound()).isTrue();
  }

  @Test
  void slashAndDotVariantsStayApart() throws IOException {
    List<String> keys = List.of("apart/a/b", "apart/a//b", "apart/a/./b", "apart/b", "apart/a/../b", "/apart/a/b",
        "apart/a/b/");
    for (String key : keys) {
      backend.put(ObjectRef.of(BUCKET, key), ObjectBody.ofBytes(bytes(key)), "text/plain", listener);
    }

    ListPage all = backend.list(ListRequest.of(BUCKET, "apart/"), listener);
    ListPage leading = backend.list(ListRequest.of(BUCKET, "/apart/"), listener);

    assertThat(all.objects()).extracting(ListPage.ObjectSummary::key)
        .containsExactly("apart/a/../b", "apart/a/./b", "apart/a//b", "apart/a/b", "apart/a/b/", "apart/b");
    assertThat(leading.objects()).extracting(ListPage.ObjectSummary::key).containsExactly("/apart/a/b");
    for (String key : keys) {
      try (ObjectContent got = backend.get(ObjectRef.of(BUCKET, key), null, listener)) {
        assertThat(got.stream().readAllBytes()).as(key).isEqualTo(bytes(key));
      }
    }
  }

  @Test
  void delimiterGroupsEmptyAndDotSegments() {
    for (String key : List.of("groups/a//b", "groups/./c", "groups/../d", "groups/e", "groups//f")) {
      backend.put(ObjectRef.of(BUCKET, key), ObjectBody.ofBytes(bytes(key)), "text/plain", listener);
    }

    ListPage page = backend.list(new ListRequest(BUCKET, "groups/", "/", null, 100), listener);
    ListPage nested = backend.list(new ListRequest(BUCKET, "groups/a/", "/", null, 100), listener);

    assertThat(page.commonPrefixes()).containsExactly("groups/../", "groups/./", "groups//", "groups/a/");
    assertThat(page.objects()).extracting(ListPage.ObjectSummary::key).containsExactly("groups/e");
    assertThat(nested.commonPrefixes()).containsExactly("groups/a//");
    assertThat(nested.objects()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {".", ".."})
  void dotKeyIsRejectedBeforeSending(String key) {
    assertThatThrownBy(() -> backend.put(ObjectRef.of(BUCKET, key), ObjectBody.ofBytes(bytes("x")), "text/plain",
        listener))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + key + "'")
        .hasMessageContaining("rename the key");
    assertThatThrownBy(() -> backend.presign(new PresignRequest(ObjectRef.of(BUCKET, key), PresignRequest.Method.GET,
        Duration.ofMinutes(1))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(exchanges).isEmpty();
  }

  @Test
  void chunkedUploadRoundTrips() throws IOException {
    S3Backend chunked = backendBuilder().chunkedUploadThreshold(0).chunkSize(8 * 1024).build();
    byte[] content = randomBytes(100_000);
    ObjectRef ref = ObjectRef.of(BUCKET, "chunked/stream.bin");

    chunked.put(ref, ObjectBody.ofStream(new ByteArrayInputStream(content), content.length), null, listener);

    try (ObjectContent got = backend.get(ref, null, listener)) {
      assertThat(got.stream().readAllBytes()).isEqualTo(content);
    }
    assertThat(exchanges.get(0).bytesSent()).isEqualTo(content.length);
  }

  @Test
  void shortStreamFailsAndStoresNothing() {
    S3Backend chunked = backendBuilder().chunkedUploadThreshold(0).chunkSize(8 * 1024).build();
    InputStream shortStream = new ByteArrayInputStream(randomBytes(20_000));

    assertThatThrownBy(() -> chunked.put(ObjectRef.of(BUCKET, "chunked/short.bin"),
        ObjectBody.ofStream(shortStream, 50_000), null, listener))
        .isInstanceOf(StorageException.class);
    assertThat(server.objectExists(BUCKET, "chunked/short.bin")).isFalse();
  }

  @Test
  void longStreamFailsAndStoresNothing() {
    S3Backend chunked = backendBuilder().chunkedUploadThreshold(0).chunkSize(8 * 1024).build();
    InputStream longStream = new ByteArrayInputStream(randomBytes(20_000));

    assertThatThrownBy(() -> chunked.put(ObjectRef.of(BUCKET, "chunked/long.bin"),
        ObjectBody.ofStream(longStream, 10_000), null, listener))
        .isInstanceOf(StorageException.class);
    assertThat(server.objectExists(BUCKET, "chunked/long.bin")).isFalse();
  }

  @Test
  void multipartUploadOfUnknownLengthRoundTrips() throws IOException {
    int partSize = 5 * 1024 * 1024;
    S3Backend multipart = backendBuilder().chunkedUploadThreshold(0).multipartThreshold(partSize).partSize(partSize)
        .build();
    byte[] content = randomBytes(2 * partSize + 1000);
    ObjectRef ref = ObjectRef.of(BUCKET, "multipart/unknown.bin");

    ObjectMetadata stored = multipart.put(ref, ObjectBody.ofStream(new ByteArrayInputStream(content),
        ObjectBody.UNKNOWN_LENGTH), null, listener);

    assertThat(stored.size()).isEqualTo(content.length);
    assertThat(exchanges).extracting(Exchange::method).containsExactly("POST", "PUT", "PUT", "PUT", "POST");
    try (ObjectContent got = backend.get(ref, null, listener)) {
      assertThat(got.stream().readAllBytes()).isEqualTo(content);
    }
  }

  @Test
  void multipartWithWrongLengthIsAborted() {
    int partSize = 5 * 1024 * 1024;
    S3Backend multipart = backendBuilder().chunkedUploadThreshold(0).multipartThreshold(partSize).partSize(partSize)
        .build();
    byte[] content = randomBytes(partSize + 10);

    assertThatThrownBy(() -> multipart.put(ObjectRef.of(BUCKET, "multipart/wrong.bin"),
        ObjectBody.ofStream(new ByteArrayInputStream(content), partSize + 20), null, listener))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nothing was stored");
    assertThat(exchanges.get(exchanges.size() - 1).method()).isEqualTo("DELETE");
    assertThat(server.objectExists(BUCKET, "multipart/wrong.bin")).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"presigned/file with space.txt", "presigned/a//b", "/presigned/leading", "presigned/trailing/",
      "presigned/../up", "presigned/./here", "presigned/plus+star*tilde~100%", "presigned/日本 é"})
  void presignedGetAndPutWork(String key) throws IOException {
    ObjectRef ref = ObjectRef.of(BUCKET, key);
    URI put = backend.presign(new PresignRequest(ref, PresignRequest.Method.PUT, Duration.ofMinutes(5)));

    Request upload = new Request.Builder().url(put.toString())
        .put(RequestBody.create(bytes("via url " + key), MediaType.get("text/plain"))).build();
    try (Response response = HTTP.newCall(upload).execute()) {
      assertThat(response.code()).isEqualTo(200);
    }
    URI get = backend.presign(new PresignRequest(ref, PresignRequest.Method.GET, Duration.ofMinutes(5)));
    try (Response response = HTTP.newCall(new Request.Builder().url(get.toString()).build()).execute()) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.body().string()).isEqualTo("via url " + key);
    }
    assertThat(server.objectExists(BUCKET, key)).isTrue();
  }

  @Test
  void expiredPresignedUrlIsRejected() throws IOException {
    ObjectRef ref = ObjectRef.of(BUCKET, "presigned/expired.txt");
    backend.put(ref, ObjectBody.ofBytes(bytes("old")), "text/plain", listener);
    InstantSource twoMinutesAgo = InstantSource.fixed(Instant.now().minus(Duration.ofMinutes(2)));
    S3Backend past = backendBuilder().clock(twoMinutesAgo).build();

    URI get = past.presign(new PresignRequest(ref, PresignRequest.Method.GET, Duration.ofSeconds(60)));

    try (Response response = HTTP.newCall(new Request.Builder().url(get.toString()).build()).execute()) {
      assertThat(response.code()).isEqualTo(403);
      assertThat(response.body().string()).contains("AccessDenied");
    }
  }

  @Test
  void virtualHostedAddressingWorks() throws IOException {
    try (S3ProxyServer virtualServer = S3ProxyServer.builder().virtualHost("localhost").start()) {
      virtualServer.createBucket(BUCKET);
      OkHttpClient loopbackDns = HTTP.newBuilder().dns(host -> List.of(InetAddress.getLoopbackAddress())).build();
      S3Backend virtual = backendBuilder().endpoint(URI.create("http://localhost:" + virtualServer.port()))
          .addressing(S3Backend.Addressing.VIRTUAL_HOSTED).httpClient(loopbackDns).build();
      ObjectRef ref = ObjectRef.of(BUCKET, "virtual/hosted.txt");

      virtual.put(ref, ObjectBody.ofBytes(bytes("vh")), "text/plain", listener);

      assertThat(exchanges.get(0).url()).startsWith("http://latchkey.localhost:");
      assertThat(virtualServer.objectExists(BUCKET, "virtual/hosted.txt")).isTrue();
      try (ObjectContent got = virtual.get(ref, null, listener)) {
        assertThat(got.stream().readAllBytes()).isEqualTo(bytes("vh"));
      }
    }
  }

  @Test
  void virtualHostedAlternatesBuckets() throws IOException {
    try (S3ProxyServer virtualServer = S3ProxyServer.builder().virtualHost("localhost").start()) {
      virtualServer.createBucket("first-bucket");
      virtualServer.createBucket("second-bucket");
      OkHttpClient loopbackDns = HTTP.newBuilder().dns(host -> List.of(InetAddress.getLoopbackAddress())).build();
      S3Backend virtual = backendBuilder().endpoint(URI.create("http://localhost:" + virtualServer.port()))
          .addressing(S3Backend.Addressing.VIRTUAL_HOSTED).httpClient(loopbackDns).build();
      ObjectRef first = ObjectRef.of("first-bucket", "same/key.txt");
      ObjectRef second = ObjectRef.of("second-bucket", "same/key.txt");

      virtual.put(first, ObjectBody.ofBytes(bytes("one")), "text/plain", listener);
      virtual.put(second, ObjectBody.ofBytes(bytes("two")), "text/plain", listener);

      for (int i = 0; i < 2; i++) {
        try (ObjectContent got = virtual.get(first, null, listener)) {
          assertThat(got.stream().readAllBytes()).isEqualTo(bytes("one"));
        }
        try (ObjectContent got = virtual.get(second, null, listener)) {
          assertThat(got.stream().readAllBytes()).isEqualTo(bytes("two"));
        }
      }
      assertThat(exchanges.get(2).url()).startsWith("http://first-bucket.localhost:");
      assertThat(exchanges.get(3).url()).startsWith("http://second-bucket.localhost:");
    }
  }

  @Test
  void slashKeysReachServerExactly() {
    List<String> storedKeys = new CopyOnWriteArrayList<>();
    BlobStore exact = S3ProxyServer.exactKeys(S3ProxyServer.newTransientBlobStore());
    BlobStore recording = new ForwardingBlobStore(exact) {
      @Override
      public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
        storedKeys.add(request.key());
        return super.putBlob(request, content);
      }
    };
    try (S3ProxyServer recordingServer = S3ProxyServer.builder().blobStore(recording).start()) {
      recordingServer.createBucket(BUCKET);
      S3Backend slashes = backendBuilder().endpoint(recordingServer.endpoint()).build();
      List<String> keys = List.of("double//slash", "trailing/", "a///b//", "/leading", "a/../b", "./c");

      for (String key : keys) {
        slashes.put(ObjectRef.of(BUCKET, key), ObjectBody.ofBytes(bytes(key)), "text/plain", listener);
      }

      assertThat(storedKeys).containsExactlyElementsOf(keys);
      assertThat(exchanges).extracting(Exchange::url).satisfiesExactly(
          url -> assertThat(url).endsWith("/latchkey/double%2F%2Fslash"),
          url -> assertThat(url).endsWith("/latchkey/trailing%2F"),
          url -> assertThat(url).endsWith("/latchkey/a%2F%2F%2Fb%2F%2F"),
          url -> assertThat(url).endsWith("/latchkey/%2Fleading"),
          url -> assertThat(url).endsWith("/latchkey/a%2F..%2Fb"),
          url -> assertThat(url).endsWith("/latchkey/.%2Fc"));
    }
  }

  @Test
  void wrongSecretIsSignatureDoesNotMatch() {
    AwsCredentials wrong = AwsCredentials.of(server.identity(), SecretValue.of(Canary.secret("wrong-s3-secret")));
    S3Backend rejected = backendBuilder().credentials(() -> wrong).build();

    StorageException error = org.junit.jupiter.api.Assertions.assertThrows(StorageException.class,
        () -> rejected.head(ObjectRef.of(BUCKET, "reports/q1.csv"), listener));
    StorageException putError = org.junit.jupiter.api.Assertions.assertThrows(StorageException.class,
        () -> rejected.put(ObjectRef.of(BUCKET, "reports/q2.csv"), ObjectBody.ofBytes(bytes("x")), "text/plain", listener));
    Canary.recordException(error);
    Canary.recordException(putError);

    assertThat(error.statusCode()).isEqualTo(403);
    assertThat(putError.statusCode()).isEqualTo(403);
    assertThat(error.getMessage()).doesNotContain(Canary.MARKER);
    assertThat(putError.getMessage()).doesNotContain(Canary.MARKER);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    new Random(length).nextBytes(bytes);
    return bytes;
  }
}
