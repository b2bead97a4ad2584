package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Installs Azurite as a project outside this repository gets it: from the {@code package.json} and
 * {@code package-lock.json} in the testkit's resources into an empty cache folder, with a real
 * {@code npm ci} against the npm registry, then starts it on 127.0.0.1. Nothing is copied from
 * {@code sdk-testkit/azurite}. The install took 26 to 40 seconds on 2 shared cores with a warm npm
 * cache. Skipped only when Node.js is not installed.
 */
class AzuriteCacheInstallTest {

  @BeforeAll
  static void requireNode() {
    try {
      Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      node.getInputStream().readAllBytes();
      Assumptions.assumeTrue(node.waitFor(30, TimeUnit.SECONDS) && node.exitValue() == 0, "node --version failed");
    } catch (IOException | InterruptedException e) {
      Assumptions.abort("The Azurite install needs Node.js on the PATH: " + e);
    }
  }

  @Test
  void emptyCacheInstallsAndStartsAzurite(@TempDir Path cache) throws IOException {
    Path folder = AzuriteInstallation.cachedPackageFolder(cache);

    try (AzuriteServer azurite = AzuriteServer.builder().cacheFolder(cache).start()) {
      assertThat(azurite.blobEndpoint().toString()).startsWith("http://127.0.0.1:");
      assertListingRejected(azurite);
    }

    assertThat(folder.resolve("package-lock.json")).hasSameBinaryContentAs(Path.of("azurite", "package-lock.json"));
    assertThat(folder.resolve("node_modules/.bin/azurite-blob")).exists();
    FileTime installedAt = Files.getLastModifiedTime(folder.resolve("node_modules/.package-lock.json"));

    try (AzuriteServer again = AzuriteServer.builder().cacheFolder(cache).start()) {
      assertListingRejected(again);
    }
    assertThat(Files.getLastModifiedTime(folder.resolve("node_modules/.package-lock.json")))
        .as("the second start reuses the install").isEqualTo(installedAt);
  }

  private static void assertListingRejected(AzuriteServer azurite) throws IOException {
    Request request = new Request.Builder().url(azurite.blobEndpoint() + "?comp=list").build();
    try (Response response = new OkHttpClient().newCall(request).execute()) {
      assertThat(response.code()).as("anonymous listing").isEqualTo(403);
      assertThat(response.header("x-ms-request-id")).isNotBlank();
    }
  }
}
