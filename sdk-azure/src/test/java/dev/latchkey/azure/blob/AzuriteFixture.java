package dev.latchkey.azure.blob;

import dev.latchkey.azure.SharedKeySigner;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.SharedKey;
import dev.latchkey.signing.SignableRequest;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.testkit.AzuriteServer;
import dev.latchkey.testkit.AzuriteUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Assumptions;

/** Starts Azurite for tests, or skips them when Node.js is missing, and creates containers. */
final class AzuriteFixture {

  private static final AtomicInteger STARTED = new AtomicInteger();

  private AzuriteFixture() {}

  /**
   * Starts Azurite with its debug log in {@code target/}, which shows the string to sign Azurite
   * expected whenever it rejects a signature.
   */
  static AzuriteServer start(AzuriteServer.Builder builder) {
    try {
      return builder.debugLog(Path.of("target", "azurite-debug-" + ProcessHandle.current().pid() + "-"
          + STARTED.incrementAndGet() + ".log")).start();
    } catch (AzuriteUnavailableException e) {
      Assumptions.abort("Azurite tests need Node.js 20 or later with npm: " + e.getMessage());
      throw e;
    }
  }

  static SharedKey key(AzuriteServer azurite) {
    return SharedKey.of(azurite.accountName(), SecretValue.of(azurite.primaryKey()));
  }

  static OkHttpClient client(AzuriteServer azurite) {
    OkHttpClient.Builder builder = new OkHttpClient.Builder();
    if (azurite.isHttps()) {
      builder.sslSocketFactory(azurite.sslSocketFactory(), azurite.trustManager());
    }
    return builder.build();
  }

  /** Creates a container with Create Container, signed with the account key. */
  static void createContainer(AzuriteServer azurite, OkHttpClient client, String container) {
    URI uri = URI.create(azurite.blobEndpoint() + "/" + container + "?restype=container");
    SignableRequest request = SignableRequest.builder("PUT", uri).addHeader("Content-Length", "0").build();
    send(client, SharedKeySigner.create().sign(request, key(azurite), Instant.now()), 201);
  }

  /** Sets one metadata pair on a blob with Set Blob Metadata, signed with the account key. */
  static void setMetadata(AzuriteServer azurite, OkHttpClient client, ObjectRef ref, String name, String value) {
    URI uri = URI.create(azurite.blobEndpoint() + "/" + ref.container() + "/" + ref.key() + "?comp=metadata");
    SignableRequest request = SignableRequest.builder("PUT", uri).addHeader("Content-Length", "0")
        .addHeader("x-ms-meta-" + name, value).build();
    send(client, SharedKeySigner.create().sign(request, key(azurite), Instant.now()), 200);
  }

  private static void send(OkHttpClient client, SignableRequest signed, int expectedStatus) {
    Request.Builder http = new Request.Builder().url(signed.uri().toString()).put(RequestBody.create(new byte[0]));
    signed.headers().forEach(header -> http.header(header.name(), header.value()));
    try (Response response = client.newCall(http.build()).execute()) {
      if (response.code() != expectedStatus) {
        throw new IllegalStateException(signed + " returned " + response.code() + ": " + response.body().string());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Returns an unsigned JWT with the claims Azurite checks for bearer tokens: an Azure AD issuer, the
   * storage audience, and {@code nbf}, {@code iat} and {@code exp} around now. Azurite does not check
   * the signature.
   */
  static String storageJwt(Instant now, long lifetimeSeconds) {
    String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
    String claims = "{\"iss\":\"https://sts.windows.net/aaaaaaaa-0000-4000-8000-000000000001/\","
        + "\"aud\":\"https://storage.azure.com\",\"oid\":\"11111111-2222-3333-4444-555555555555\","
        + "\"tid\":\"aaaaaaaa-0000-4000-8000-000000000001\",\"iat\":" + (now.getEpochSecond() - 60)
        + ",\"nbf\":" + (now.getEpochSecond() - 60) + ",\"exp\":" + (now.getEpochSecond() + lifetimeSeconds) + "}";
    return base64Url(header) + "." + base64Url(claims) + "." + base64Url("not-checked");
  }

  private static String base64Url(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
