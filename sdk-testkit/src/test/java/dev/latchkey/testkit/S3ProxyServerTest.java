package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.gaul.s3proxy.AccessGrant;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.junit.jupiter.api.Test;

class S3ProxyServerTest {

  private final OkHttpClient http = new OkHttpClient();

  @Test
  void startsOnLoopbackWithEphemeralPort() {
    try (S3ProxyServer server = S3ProxyServer.builder().start()) {
      assertThat(server.endpoint().getHost()).isEqualTo("127.0.0.1");
      assertThat(server.port()).isPositive();
      assertThat(server.endpoint().getPort()).isEqualTo(server.port());
    }
  }

  @Test
  void rejectsUnsignedRequest() throws IOException {
    try (S3ProxyServer server = S3ProxyServer.builder().credential(Canary.secret("s3proxy")).start()) {
      server.createBucket("reports");
      Request request = new Request.Builder()
          .url(server.endpoint() + "/reports/a.txt")
          .put(RequestBody.create("hello", MediaType.get("text/plain")))
          .build();

      try (Response response = http.newCall(request).execute()) {
        assertThat(response.code()).isEqualTo(403);
        assertThat(response.body().string()).contains("AccessDenied");
      }
      assertThat(server.objectExists("reports", "a.txt")).isFalse();
    }
  }

  @Test
  void storesBucketsInSharedBlobStore() {
    BlobStore store = S3ProxyServer.newTransientBlobStore();
    try (S3ProxyServer server = S3ProxyServer.builder()
        .blobStore(store)
        .blobStoreLocator((identity, container, blob) -> new AccessGrant(Canary.secret(identity), store))
        .start()) {
      server.createBucket("shared");

      assertThat(store.containerExists("shared")).isTrue();
      assertThat(server.objectExists("shared", "missing.txt")).isFalse();
    }
  }

  @Test
  void rejectsMaximumTimeSkewBelowOneSecond() {
    assertThatThrownBy(() -> S3ProxyServer.builder().maximumTimeSkew(Duration.ofMillis(500)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maximumTimeSkew PT0.5S");
  }

  @Test
  void rejectsBlankIdentity() {
    assertThatThrownBy(() -> S3ProxyServer.builder().identity(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("identity");
  }
}
