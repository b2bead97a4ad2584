package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AzuriteServerTest {

  private static AzuriteServer startOrSkip(AzuriteServer.Builder builder) {
    try {
      return builder.start();
    } catch (AzuriteUnavailableException e) {
      Assumptions.abort(e.getMessage());
      throw e;
    }
  }

  @Test
  void plainServerRejectsAnonymousListingAndStops(@TempDir Path dir) throws IOException {
    Path debugLog = dir.resolve("azurite-debug.log");
    AzuriteServer azurite = startOrSkip(AzuriteServer.builder().debugLog(debugLog));
    OkHttpClient client = new OkHttpClient();
    String url = azurite.blobEndpoint() + "?comp=list";

    assertThat(azurite.blobEndpoint().toString()).startsWith("http://127.0.0.1:").endsWith("/devstoreaccount1");
    try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
      assertThat(response.code()).isEqualTo(403);
      assertThat(response.header("x-ms-request-id")).isNotBlank();
    }
    assertThat(Files.size(debugLog)).isPositive();

    azurite.close();
    assertThat(azurite.isRunning()).isFalse();
    assertThatThrownBy(() -> client.newCall(new Request.Builder().url(url).build()).execute())
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void httpsServerPresentsTrustedCertificate() throws IOException {
    try (AzuriteServer azurite = startOrSkip(AzuriteServer.builder().https())) {
      OkHttpClient client = new OkHttpClient.Builder()
          .sslSocketFactory(azurite.sslSocketFactory(), azurite.trustManager())
          .build();
      Request request = new Request.Builder().url(azurite.blobEndpoint() + "?comp=list").build();

      try (Response response = client.newCall(request).execute()) {
        assertThat(response.request().url().scheme()).isEqualTo("https");
        assertThat(response.code()).isEqualTo(403);
        assertThat(response.handshake().peerCertificates()).containsExactly(azurite.certificate());
      }
    }
  }

  @Test
  void plainServerHasNoCertificate() {
    try (AzuriteServer azurite = startOrSkip(AzuriteServer.builder())) {
      assertThatThrownBy(azurite::certificate)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("https()");
    }
  }

  @Test
  void rejectedCanaryCredentialsStayHidden() throws IOException {
    String primary = Canary.base64Key("testkit-primary");
    String secondary = Canary.base64Key("testkit-secondary");
    String signature = Canary.signature("testkit-sas");
    try (AzuriteServer azurite = startOrSkip(AzuriteServer.builder().account("canary1", primary, secondary))) {
      OkHttpClient client = new OkHttpClient();
      Request sharedKey = new Request.Builder().url(azurite.blobEndpoint() + "?comp=list")
          .header("x-ms-date", "Fri, 04 Dec 2026 12:00:00 GMT").header("x-ms-version", "2025-11-05")
          .header("Authorization", "SharedKey canary1:" + signature).build();
      Request sas = new Request.Builder().url(azurite.blobEndpoint()
          + "?comp=list&sv=2025-11-05&ss=b&srt=sco&sp=rl&se=2099-01-01T00%3A00%3A00Z&spr=http&sig="
          + signature.replace("=", "%3D")).build();

      for (Request request : List.of(sharedKey, sas)) {
        try (Response response = client.newCall(request).execute()) {
          assertThat(response.code()).isEqualTo(403);
        }
      }
      assertThat(azurite.toString()).doesNotContain(Canary.MARKER);
      assertThat(azurite.primaryKey()).isEqualTo(primary);
      assertThat(azurite.secondaryKey()).contains(secondary);
    }
  }

  @Test
  void builderRejectsInvalidAccount() {
    AzuriteServer.Builder builder = AzuriteServer.builder();

    Throwable badName = catchThrowable(() -> builder.account("Bad_Name", Canary.base64Key("bad-name")));
    Canary.recordException(badName);
    assertThat(badName).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Bad_Name'")
        .hasMessageNotContaining(Canary.MARKER);
    Throwable badKey = catchThrowable(() -> builder.account("account1", Canary.secret("not-base64")));
    Canary.recordException(badKey);
    assertThat(badKey).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("primaryKey")
        .hasMessageNotContaining(Canary.MARKER);
    assertThatThrownBy(() -> builder.account("Bad_Name", AzuriteServer.EMULATOR_KEY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Bad_Name'");
    assertThatThrownBy(() -> builder.account("account1", "not base64!"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("primaryKey");
    assertThatThrownBy(() -> builder.account("account1", AzuriteServer.EMULATOR_KEY, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("secondaryKey");
  }

  @Test
  void builderRejectsNonPositiveTimeout() {
    for (Duration timeout : List.of(Duration.ZERO, Duration.ofSeconds(-1))) {
      assertThatThrownBy(() -> AzuriteServer.builder().startupTimeout(timeout))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(timeout.toString());
    }
  }

  @Test
  void missingPackageFolderIsUnavailable(@TempDir Path dir) {
    assertThatThrownBy(() -> AzuriteServer.builder().packageFolder(dir).startupTimeout(Duration.ofSeconds(5)).start())
        .isInstanceOf(AzuriteUnavailableException.class)
        .hasMessageContaining("package-lock.json")
        .hasMessageContaining(dir.toString());
  }
}
