package dev.latchkey.azure.blob;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.azure.BlobBackend;
import dev.latchkey.credentials.SasToken;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.SharedKey;
import dev.latchkey.storage.ListRequest;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.storage.StorageException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Responses a real Blob service does not give on demand: quoted signatures, 503s and hostile XML. */
class BlobBackendFaultTest {

  private static final String KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
  private final MockWebServer server = new MockWebServer();
  private final OkHttpClient client = new OkHttpClient();

  @BeforeEach
  void start() throws IOException {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private BlobBackend backend(BlobBackend.Builder builder) {
    URI endpoint = URI.create(server.url("/devstoreaccount1").toString());
    return builder.endpoint(endpoint).allowPlainHttpOnLoopback().httpClient(client).build();
  }

  @Test
  void quotedSharedKeySignatureIsMasked() throws InterruptedException {
    BlobBackend backend = backend(BlobBackend.builder().sharedKey(SharedKey.of("devstoreaccount1", SecretValue.of(KEY))));
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        String authorization = request.getHeaders().get("Authorization");
        return new MockResponse.Builder().code(403).addHeader("x-ms-request-id", "req-1")
            .body("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthenticationFailed</Code>"
                + "<Message>The MAC signature found in the HTTP request '"
                + authorization.substring(authorization.indexOf(':') + 1)
                + "' is not the same as any computed signature.</Message></Error>").build();
      }
    });

    StorageException error = catchStorage(() -> backend.list(ListRequest.of("reports", ""), null));

    String authorization = server.takeRequest().getHeaders().get("Authorization");
    assertThat(error.errorCode()).isEqualTo("AuthenticationFailed");
    assertThat(error.requestId()).isEqualTo("req-1");
    assertThat(error.getMessage()).contains("The MAC signature found")
        .doesNotContain(authorization.substring(authorization.indexOf(':') + 1));
  }

  @Test
  void sasSignatureInMessageIsMasked() {
    String sig = "c2lnbmF0dXJlLXRoYXQtbXVzdC1ub3QtbGVhaw==";
    BlobBackend backend = backend(BlobBackend.builder()
        .sasToken(() -> SasToken.of(SecretValue.of("sv=2025-11-05&sr=c&sp=r&sig=" + sig.replace("=", "%3D")), null)));
    server.enqueue(new MockResponse.Builder().code(403)
        .body("<Error><Code>AuthorizationPermissionMismatch</Code><Message>Rejected sig=" + sig
            + " for this request</Message></Error>").build());

    StorageException error = catchStorage(() -> backend.list(ListRequest.of("reports", ""), null));

    assertThat(error.getMessage()).contains("AuthorizationPermissionMismatch").doesNotContain(sig);
  }

  @Test
  void serverBusyIsRetryable() {
    BlobBackend backend = backend(BlobBackend.builder().sharedKey(SharedKey.of("devstoreaccount1", SecretValue.of(KEY))));
    server.enqueue(new MockResponse.Builder().code(503).addHeader("x-ms-error-code", "ServerBusy").build());

    StorageException error = catchStorage(() -> backend.get(ObjectRef.of("reports", "a.csv"), null, null));

    assertThat(error.statusCode()).isEqualTo(503);
    assertThat(error.errorCode()).isEqualTo("ServerBusy");
    assertThat(error.isRetryable()).isTrue();
  }

  @Test
  void listingWithDtdIsRejected() {
    BlobBackend backend = backend(BlobBackend.builder().sharedKey(SharedKey.of("devstoreaccount1", SecretValue.of(KEY))));
    server.enqueue(new MockResponse.Builder().code(200).body("<?xml version=\"1.0\"?><!DOCTYPE r ["
        + "<!ENTITY x SYSTEM \"file:///etc/passwd\">]><EnumerationResults><Blobs><Blob><Name>&x;</Name>"
        + "<Properties/></Blob></Blobs></EnumerationResults>").build());

    StorageException error = catchStorage(() -> backend.list(ListRequest.of("reports", ""), null));

    assertThat(error.getMessage()).contains("Invalid List Blobs response").doesNotContain("root:");
  }

  @Test
  void deeplyNestedListingIsRejected() {
    BlobBackend backend = backend(BlobBackend.builder().sharedKey(SharedKey.of("devstoreaccount1", SecretValue.of(KEY))));
    server.enqueue(new MockResponse.Builder().code(200).body("<a>".repeat(100) + "</a>".repeat(100)).build());

    StorageException error = catchStorage(() -> backend.list(ListRequest.of("reports", ""), null));

    assertThat(error.getMessage()).contains("deeper than");
  }

  @Test
  void encodedBlobNamesAreDecoded() {
    BlobBackend backend = backend(BlobBackend.builder().sharedKey(SharedKey.of("devstoreaccount1", SecretValue.of(KEY))));
    server.enqueue(new MockResponse.Builder().code(200).body("<EnumerationResults><Blobs><Blob>"
        + "<Name Encoded=\"true\">bell%07name+plus</Name><Properties><Content-Length>1</Content-Length>"
        + "</Properties></Blob></Blobs><NextMarker/></EnumerationResults>").build());

    var page = backend.list(ListRequest.of("reports", ""), null);

    assertThat(page.objects()).singleElement().satisfies(s -> assertThat(s.key()).isEqualTo("bell\u0007name+plus"));
    assertThat(page.nextToken()).isEmpty();
  }

  private static StorageException catchStorage(Runnable call) {
    try {
      call.run();
    } catch (StorageException e) {
      return e;
    }
    throw new AssertionError("expected a StorageException");
  }
}
