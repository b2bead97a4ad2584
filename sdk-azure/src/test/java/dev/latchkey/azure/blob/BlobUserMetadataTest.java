package dev.latchkey.azure.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.azure.BlobBackend;
import dev.latchkey.storage.Exchange;
import dev.latchkey.storage.ObjectBody;
import dev.latchkey.storage.ObjectMetadata;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.storage.PutRequest;
import dev.latchkey.testkit.AzuriteServer;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Locale;
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

/** User metadata on Put Blob and Put Block List, against Azurite in strict mode with Shared Key. */
class BlobUserMetadataTest {

  private static final String CONTAINER = "metadata";
  private static AzuriteServer azurite;
  private static OkHttpClient client;

  private final List<Request> sent = new CopyOnWriteArrayList<>();
  private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startAzurite() {
    azurite = AzuriteFixture.start(AzuriteServer.builder());
    client = AzuriteFixture.client(azurite);
    AzuriteFixture.createContainer(azurite, client, CONTAINER);
  }

  @AfterAll
  static void stopAzurite() {
    if (azurite != null) {
      azurite.close();
    }
  }

  /** Returns a backend whose HTTP client records every request it sends. */
  private BlobBackend.Builder backendBuilder() {
    OkHttpClient recording = client.newBuilder().addNetworkInterceptor(chain -> {
      sent.add(chain.request());
      return chain.proceed(chain.request());
    }).build();
    return BlobBackend.builder().endpoint(azurite.blobEndpoint()).allowPlainHttpOnLoopback()
        .sharedKey(AzuriteFixture.key(azurite)).httpClient(recording);
  }

  @Test
  void putBlobStoresMetadata() {
    BlobBackend backend = backendBuilder().build();
    ObjectRef ref = ObjectRef.of(CONTAINER, "single.txt");

    ObjectMetadata stored = backend.put(PutRequest.builder(ref, ObjectBody.ofBytes(new byte[] {1, 2}))
        .contentType("text/plain").userMetadata("Owner", "billing").userMetadata("retention_days", "30").build(),
        exchanges::add);
    ObjectMetadata head = backend.head(ref, exchanges::add);

    assertThat(head.userMetadata()).containsOnly(Map.entry("owner", "billing"), Map.entry("retention_days", "30"));
    assertThat(stored.userMetadata()).isEqualTo(head.userMetadata());
    assertThat(head.contentType()).isEqualTo("text/plain");
    assertThat(sent.get(0).method()).isEqualTo("PUT");
    assertThat(sent.get(0).header("x-ms-meta-Owner")).isEqualTo("billing");
  }

  @Test
  void putBlockListStoresMetadata() {
    BlobBackend backend = backendBuilder().singlePutThreshold(8 * 1024).blockSize(4 * 1024).build();
    ObjectRef ref = ObjectRef.of(CONTAINER, "blocks.bin");
    byte[] content = randomBytes(10 * 1024);

    backend.put(PutRequest.builder(ref, ObjectBody.ofStream(new ByteArrayInputStream(content), content.length))
        .userMetadata("Batch", "2026-03").build(), exchanges::add);

    Request blockList = sent.get(sent.size() - 1);
    assertThat(blockList.url().query()).isEqualTo("comp=blocklist");
    assertThat(blockList.header("x-ms-meta-Batch")).isEqualTo("2026-03");
    assertThat(sent.subList(0, sent.size() - 1)).hasSize(3)
        .allSatisfy(block -> assertThat(block.header("x-ms-meta-Batch")).isNull());
    assertThat(backend.head(ref, exchanges::add).userMetadata()).containsOnly(Map.entry("batch", "2026-03"));
  }

  /**
   * Blob Storage sorts canonicalized headers so that {@code _} comes before digits and letters, and
   * Azurite does the same; with plain code point order these names would be signed in the other order.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"i_,i0", "FOO_BAR,FOO2_BAR", "x1,x_1", "a_b,a0", "ab,a_b"})
  void underscoreNamesAreSignedInServiceOrder(String names) {
    BlobBackend backend = backendBuilder().build();
    ObjectRef ref = ObjectRef.of(CONTAINER, "order-" + names.replace(',', '-') + ".txt");
    PutRequest.Builder put = PutRequest.builder(ref, ObjectBody.ofBytes(new byte[] {1}));
    for (String name : names.split(",")) {
      put.userMetadata(name, "v-" + name);
    }

    backend.put(put.build(), exchanges::add);

    Map<String, String> stored = backend.head(ref, exchanges::add).userMetadata();
    for (String name : names.split(",")) {
      assertThat(stored).containsEntry(name.toLowerCase(Locale.ROOT), "v-" + name);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"has-dash", "1digit-first", "dot.name", "with space", "ünicode", "new\nline", "$dollar"})
  void invalidNameIsRejectedBeforeSending(String name) {
    BlobBackend backend = backendBuilder().build();
    ObjectRef ref = ObjectRef.of(CONTAINER, "bad-name.txt");
    PutRequest put = PutRequest.builder(ref, ObjectBody.ofBytes(new byte[] {1})).userMetadata(name, "x").build();

    assertThatThrownBy(() -> backend.put(put, exchanges::add))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid user metadata name")
        .hasMessageContaining("C# identifier")
        .hasMessageNotContaining("\n");
    assertThat(sent).isEmpty();
    assertThat(exchanges).isEmpty();
  }

  @Test
  void invalidNameSendsNoBlock() {
    BlobBackend backend = backendBuilder().singlePutThreshold(1024).blockSize(1024).build();
    ObjectRef ref = ObjectRef.of(CONTAINER, "bad-blocks.bin");
    PutRequest put = PutRequest.builder(ref, ObjectBody.ofBytes(randomBytes(4096))).userMetadata("x-y", "z").build();

    assertThatThrownBy(() -> backend.put(put, exchanges::add)).isInstanceOf(IllegalArgumentException.class);
    assertThat(sent).isEmpty();
  }

  @Test
  void caseInsensitiveDuplicateIsRejected() {
    ObjectRef ref = ObjectRef.of(CONTAINER, "duplicate.txt");

    assertThatThrownBy(() -> PutRequest.builder(ref, ObjectBody.ofBytes(new byte[] {1}))
        .userMetadata("Owner", "a").userMetadata("OWNER", "b").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'OWNER'")
        .hasMessageContaining("repeats 'Owner'");
  }

  @Test
  void oversizedMetadataIsRejectedBeforeSending() {
    BlobBackend backend = backendBuilder().build();
    ObjectRef ref = ObjectRef.of(CONTAINER, "too-big.txt");
    PutRequest put = PutRequest.builder(ref, ObjectBody.ofBytes(new byte[] {1}))
        .userMetadata("first", "a".repeat(4096)).userMetadata("second", "b".repeat(4096)).build();

    assertThatThrownBy(() -> backend.put(put, exchanges::add))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("8203 bytes")
        .hasMessageContaining("limit of 8192 bytes");
    assertThat(sent).isEmpty();
  }

  @Test
  void metadataOfExactlyEightKilobytesIsAccepted() {
    BlobBackend backend = backendBuilder().build();
    ObjectRef ref = ObjectRef.of(CONTAINER, "limit.txt");
    String value = "v".repeat(8192 - "big".length());

    backend.put(PutRequest.builder(ref, ObjectBody.ofBytes(new byte[] {1})).userMetadata("big", value).build(),
        exchanges::add);

    assertThat(backend.head(ref, exchanges::add).userMetadata().get("big")).hasSize(value.length());
  }

  private static byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    new Random(length).nextBytes(bytes);
    return bytes;
  }
}
