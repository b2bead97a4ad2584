package dev.latchkey.examples;

import dev.latchkey.azure.SharedKeySigner;
import dev.latchkey.credentials.SharedKey;
import dev.latchkey.signing.SignableRequest;
import dev.latchkey.testkit.AzuriteServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.InstantSource;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Creates Azure Blob containers with Create Container, signed with the account key. */
final class AzuriteContainers {

  private AzuriteContainers() {}

  static void create(AzuriteServer azurite, SharedKey accountKey, String... containers) {
    OkHttpClient http = azurite.isHttps()
        ? new OkHttpClient.Builder().sslSocketFactory(azurite.sslSocketFactory(), azurite.trustManager()).build()
        : new OkHttpClient();
    for (String container : containers) {
      URI uri = URI.create(azurite.blobEndpoint() + "/" + container + "?restype=container");
      SignableRequest request = SignableRequest.builder("PUT", uri).addHeader("Content-Length", "0").build();
      SignableRequest signed = SharedKeySigner.create().sign(request, accountKey, InstantSource.system().instant());
      Request.Builder call = new Request.Builder().url(signed.uri().toString()).put(RequestBody.create(new byte[0]));
      signed.headers().forEach(header -> call.header(header.name(), header.value()));
      try (Response response = http.newCall(call.build()).execute()) {
        if (response.code() != 201 && response.code() != 409) {
          throw new IllegalStateException("Create Container " + container + " failed with HTTP " + response.code());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Create Container " + container + " failed", e);
      }
    }
  }
}
