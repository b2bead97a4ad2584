package dev.latchkey.azure.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.azure.BlobBackend;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.SharedKey;
import dev.latchkey.storage.ObjectRef;
import java.net.URI;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class BlobBackendBuilderTest {

  private static final SharedKey KEY = SharedKey.of("acct", SecretValue.of("a2V5LWJ5dGVz"));
  private static final OkHttpClient CLIENT = new OkHttpClient();

  @Test
  void accountHostEndpointNamesAccount() {
    BlobBackend backend = BlobBackend.builder().endpoint(URI.create("https://acct.blob.core.windows.net/"))
        .sharedKey(KEY).httpClient(CLIENT).build();

    assertThat(backend.accountName()).isEqualTo("acct");
    assertThat(backend.containerResource("reports")).isEqualTo("azure://acct/reports");
  }

  @Test
  void plainHttpNeedsExplicitLoopback() {
    BlobBackend.Builder builder = BlobBackend.builder().endpoint(URI.create("http://127.0.0.1:10000/acct"))
        .sharedKey(KEY).httpClient(CLIENT);

    assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("allowPlainHttpOnLoopback");
    assertThat(builder.allowPlainHttpOnLoopback().build().accountName()).isEqualTo("acct");
  }

  @Test
  void plainHttpToRemoteHostIsRejected() {
    BlobBackend.Builder builder = BlobBackend.builder().endpoint(URI.create("http://acct.blob.core.windows.net"))
        .sharedKey(KEY).httpClient(CLIENT).allowPlainHttpOnLoopback();

    assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("loopback");
  }

  /**
   * A password in the endpoint would be printed by the backend's toString and sent to third parties
   * in every presigned URL, so the builder rejects user information and does not echo it.
   */
  @Test
  void endpointWithUserInformationIsRejected() {
    String password = "hunter2-endpoint-password";

    assertThatThrownBy(() -> BlobBackend.builder().endpoint(URI.create("https://user:" + password + "@acct.blob.core.windows.net")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("user information")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(password));
    assertThatThrownBy(() -> BlobBackend.builder().endpoint(URI.create("http://" + password + "@127.0.0.1:10000/acct")))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(password));
  }

  @Test
  void builderRejectsBadOptions() {
    assertThatThrownBy(() -> BlobBackend.builder().endpoint(URI.create("ftp://acct.blob.core.windows.net")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ftp://");
    assertThatThrownBy(() -> BlobBackend.builder().endpoint(URI.create("https://127.0.0.1:1/acct/extra")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one path segment");
    assertThatThrownBy(() -> BlobBackend.builder().blockSize(10)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("block size 10");
    assertThatThrownBy(() -> BlobBackend.builder().singlePutThreshold(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> BlobBackend.builder().sharedKey(KEY).sasToken(() -> null))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("one credential source");
    assertThatThrownBy(() -> BlobBackend.builder().endpoint(URI.create("https://acct.blob.core.windows.net")).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("credential source");
    assertThatThrownBy(() -> BlobBackend.builder().sharedKey(KEY).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("endpoint(");
  }

  @Test
  void httpClientDefaultsToNewClient() {
    BlobBackend backend = BlobBackend.builder().endpoint(URI.create("https://acct.blob.core.windows.net"))
        .sharedKey(KEY).build();

    assertThat(backend.accountName()).isEqualTo("acct");
  }

  @Test
  void accountNameMustMatchEndpoint() {
    BlobBackend.Builder builder = BlobBackend.builder().endpoint(URI.create("https://acct.blob.core.windows.net"))
        .accountName("other").sharedKey(KEY).httpClient(CLIENT);

    assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("'other'");
  }

  @Test
  void dotSegmentNamesAreRejectedBeforeSending() {
    BlobBackend backend = BlobBackend.builder().endpoint(URI.create("https://acct.blob.core.windows.net"))
        .sharedKey(KEY).httpClient(CLIENT).build();

    assertThatThrownBy(() -> backend.head(ObjectRef.of("reports", "a/../b"), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a/../b'");
  }

  @Test
  void toStringShowsEndpointOnly() {
    BlobBackend backend = BlobBackend.builder().endpoint(URI.create("https://acct.blob.core.windows.net"))
        .sharedKey(KEY).httpClient(CLIENT).build();

    assertThat(backend.toString()).isEqualTo("BlobBackend[https://acct.blob.core.windows.net]");
  }
}
