package dev.latchkey.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.s3.internal.S3UserMetadata;
import dev.latchkey.storage.Exchange;
import dev.latchkey.storage.ObjectBody;
import dev.latchkey.storage.ObjectMetadata;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.storage.PutRequest;
import dev.latchkey.testkit.Canary;
import dev.latchkey.testkit.S3ProxyServer;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** User metadata through every upload path of the S3 backend, against S3Proxy. */
class S3UserMetadataTest {

  private static final String BUCKET = "metadata";
  private static final int PART_SIZE = 5 * 1024 * 1024;

  private static S3ProxyServer server;

  private final List<Request> sent = new CopyOnWriteArrayList<>();
  private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startServer() {
    server = S3ProxyServer.builder().start();
    server.createBucket(BUCKET);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  /** Returns a backend whose HTTP client records every request it sends, as sent. */
  private S3Backend.Builder backendBuilder() {
    AwsCredentials keys = AwsCredentials.of(server.identity(), SecretValue.of(server.credential()));
    OkHttpClient recording = new OkHttpClient.Builder().addNetworkInterceptor(chain -> {
      sent.add(chain.request());
      return chain.proceed(chain.request());
    }).build();
    return S3Backend.builder().endpoint(server.endpoint()).region("us-east-1").credentials(() -> keys)
        .httpClient(recording);
  }

  @Test
  void singlePutStoresMetadata() {
    S3Backend backend = backendBuilder().build();
    ObjectRef ref = ObjectRef.of(BUCKET, "single.txt");
    PutRequest put = PutRequest.builder(ref, ObjectBody.ofBytes(new byte[] {1, 2, 3})).contentType("text/plain")
        .userMetadata("Owner", "billing").userMetadata("retention-days", "30").build();

    ObjectMetadata stored = backend.put(put, exchanges::add);
    ObjectMetadata head = backend.head(ref, exchanges::add);

    assertThat(head.userMetadata()).containsOnly(Map.entry("owner", "billing"), Map.entry("retention-days", "30"));
    assertThat(stored.userMetadata()).isEqualTo(head.userMetadata());
    assertThat(sent.get(0).header("x-amz-meta-Owner")).isEqualTo("billing");
    assertThat(signedHeaders(sent.get(0))).contains("x-amz-meta-owner", "x-amz-meta-retention-days");
  }

  @Test
  void chunkedUploadStoresMetadata() {
    S3Backend backend = backendBuilder().chunkedUploadThreshold(0).chunkSize(8 * 1024).build();
    ObjectRef ref = ObjectRef.of(BUCKET, "chunked.bin");
    byte[] content = randomBytes(40_000);

    backend.put(PutRequest.builder(ref, ObjectBody.ofStream(new ByteArrayInputStream(content), content.length))
        .userMetadata("source", "nightly-export").build(), exchanges::add);

    assertThat(sent.get(0).header("x-amz-content-sha256")).startsWith("STREAMING-");
    assertThat(signedHeaders(sent.get(0))).contains("x-amz-meta-source");
    assertThat(backend.head(ref, exchanges::add).userMetadata()).containsOnly(Map.entry("source", "nightly-export"));
  }

  @Test
  void multipartUploadStoresMetadataOnCreate() {
    S3Backend backend = backendBuilder().chunkedUploadThreshold(0).multipartThreshold(PART_SIZE).partSize(PART_SIZE)
        .build();
    ObjectRef ref = ObjectRef.of(BUCKET, "multipart.bin");
    byte[] content = randomBytes(PART_SIZE + 100);

    backend.put(PutRequest.builder(ref, ObjectBody.ofStream(new ByteArrayInputStream(content),
        ObjectBody.UNKNOWN_LENGTH)).userMetadata("Batch", "2026-03").build(), exchanges::add);

    assertThat(exchanges).extracting(Exchange::method).containsExactly("POST", "PUT", "PUT", "POST");
    assertThat(sent.get(0).url().query()).isEqualTo("uploads");
    assertThat(signedHeaders(sent.get(0))).contains("x-amz-meta-batch");
    assertThat(sent.subList(1, sent.size())).allSatisfy(request -> assertThat(request.header("x-amz-meta-Batch")).isNull());
    assertThat(backend.head(ref, exchanges::add).userMetadata()).containsOnly(Map.entry("batch", "2026-03"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"with space", "colon:name", "slash/name", "brace{", "quote\"", "ünicode", "tab\tname",
      "new\nline"})
  void invalidNameIsRejectedBeforeSending(String name) {
    S3Backend backend = backendBuilder().build();
    ObjectRef ref = ObjectRef.of(BUCKET, "bad-name.txt");
    PutRequest put = PutRequest.builder(ref, ObjectBody.ofBytes(new byte[] {1})).userMetadata(name, "x").build();

    assertThatThrownBy(() -> backend.put(put, exchanges::add))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid user metadata name")
        .hasMessageContaining("HTTP header name")
        .hasMessageNotContaining("\n");
    assertThat(sent).isEmpty();
    assertThat(exchanges).isEmpty();
    assertThat(server.objectExists(BUCKET, ref.key())).isFalse();
  }

  @Test
  void tokenSymbolsInNamesAreAccepted() {
    S3Backend backend = backendBuilder().build();
    ObjectRef ref = ObjectRef.of(BUCKET, "symbols.txt");

    backend.put(PutRequest.builder(ref, ObjectBody.ofBytes(new byte[] {1})).userMetadata("a.b_c-d~1", "v").build(),
        exchanges::add);

    assertThat(backend.head(ref, exchanges::add).userMetadata()).containsOnly(Map.entry("a.b_c-d~1", "v"));
  }

  @Test
  void metadataOfExactlyTwoKilobytesIsAccepted() {
    S3Backend backend = backendBuilder().build();
    ObjectRef ref = ObjectRef.of(BUCKET, "limit.txt");
    String value = "v".repeat(S3UserMetadata.MAX_BYTES - "big".length());

    backend.put(PutRequest.builder(ref, ObjectBody.ofBytes(new byte[] {1})).userMetadata("big", value).build(),
        exchanges::add);

    assertThat(backend.head(ref, exchanges::add).userMetadata().get("big")).hasSize(value.length());
  }

  @Test
  void oversizedMetadataIsRejectedBeforeSending() {
    S3Backend backend = backendBuilder().build();
    ObjectRef ref = ObjectRef.of(BUCKET, "too-big.txt");
    PutRequest put = PutRequest.builder(ref, ObjectBody.ofBytes(new byte[] {1}))
        .userMetadata("first", "a".repeat(1024)).userMetadata("second", "b".repeat(1024)).build();

    assertThatThrownBy(() -> backend.put(put, exchanges::add))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2059 bytes")
        .hasMessageContaining("limit of 2048 bytes");
    assertThat(sent).isEmpty();
    assertThat(server.objectExists(BUCKET, ref.key())).isFalse();
  }

  @Test
  void invalidValueMessageLeavesValueOut() {
    ObjectRef ref = ObjectRef.of(BUCKET, "secret.txt");
    String secret = Canary.secret("metadata-value");

    IllegalArgumentException error = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> PutRequest.builder(ref, ObjectBody.ofBytes(new byte[] {1})).userMetadata("token", secret + "\r\n")
            .build());
    Canary.recordException(error);

    assertThat(error).hasMessageContaining("user metadata 'token'");
    assertThat(error).hasMessageContaining("cannot be sent in an HTTP header");
    assertThat(error.getMessage()).doesNotContain(Canary.MARKER);
    assertThat(error.getMessage()).doesNotContain("U+000D");
  }

  private static List<String> signedHeaders(Request request) {
    String authorization = request.header("Authorization");
    String list = authorization.substring(authorization.indexOf("SignedHeaders=") + "SignedHeaders=".length());
    return List.of(list.substring(0, list.indexOf(',')).split(";"));
  }

  private static byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    new Random(length).nextBytes(bytes);
    return bytes;
  }
}
