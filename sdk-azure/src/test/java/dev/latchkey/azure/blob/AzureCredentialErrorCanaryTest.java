package dev.latchkey.azure.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.azure.BlobBackend;
import dev.latchkey.azure.sas.BlobSas;
import dev.latchkey.azure.sas.SasProtocol;
import dev.latchkey.credentials.SasToken;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.SharedKey;
import dev.latchkey.storage.ListRequest;
import dev.latchkey.storage.ObjectBody;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.storage.StorageException;
import dev.latchkey.testkit.AzuriteServer;
import dev.latchkey.testkit.Canary;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests that Azurite rejects while canary account keys (primary and secondary) and SAS tokens are
 * in play: a revoked key, a SAS with a planted signature, an expired SAS and a SAS without write
 * permission. Signatures the code computes from the canary keys are listed too. Every exception is
 * recorded, so the scan of the suite's output searches its message and stack trace, next to the
 * DEBUG log lines of the rejected calls.
 */
class AzureCredentialErrorCanaryTest {

  private static final String ACCOUNT = "canary1";
  private static final String PRIMARY = Canary.base64Key("azure-primary");
  private static final String SECONDARY = Canary.base64Key("azure-secondary");
  private static final String CONTAINER = "canaries";
  private static final ObjectRef BLOB = ObjectRef.of(CONTAINER, "2026/q1.csv");

  private static AzuriteServer azurite;
  private static OkHttpClient client;

  private final List<StorageException> failures = new ArrayList<>();

  @BeforeAll
  static void startAzurite() {
    azurite = AzuriteFixture.start(AzuriteServer.builder().account(ACCOUNT, PRIMARY, SECONDARY));
    client = AzuriteFixture.client(azurite);
    AzuriteFixture.createContainer(azurite, client, CONTAINER);
    keyBackend(PRIMARY).put(BLOB, ObjectBody.ofBytes(new byte[] {1}), "text/csv", null);
  }

  @AfterAll
  static void stopAzurite() {
    if (azurite != null) {
      azurite.close();
    }
  }

  @AfterEach
  void checkFailures() {
    assertThat(failures).isNotEmpty().doesNotContainNull();
    for (StorageException failure : failures) {
      Canary.recordException(failure);
      assertThat(failure.statusCode()).isEqualTo(403);
      for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
        assertThat(String.valueOf(cause.getMessage())).doesNotContain(Canary.MARKER);
      }
    }
  }

  @Test
  void revokedAccountKeyIsRejected() {
    keyBackend(SECONDARY).put(ObjectRef.of(CONTAINER, "secondary.csv"), ObjectBody.ofBytes(new byte[] {2}), null, null);
    BlobBackend revoked = keyBackend(Canary.base64Key("azure-revoked"));

    failures.add(catchThrowableOfType(StorageException.class, () -> revoked.head(BLOB, null)));
    failures.add(catchThrowableOfType(StorageException.class,
        () -> revoked.put(ObjectRef.of(CONTAINER, "revoked.csv"), ObjectBody.ofBytes(new byte[] {3}), null, null)));
  }

  @Test
  void plantedSasSignatureIsRejected() {
    String query = "sv=2025-11-05&ss=b&srt=sco&sp=rl&se=2099-01-01T00%3A00%3A00Z&spr=https%2Chttp&sig="
        + Canary.signature("azure-planted-sas").replace("=", "%3D");
    BlobBackend backend = sasBackend(SasToken.of(SecretValue.of(query), null));

    failures.add(catchThrowableOfType(StorageException.class, () -> backend.head(BLOB, null)));
    failures.add(catchThrowableOfType(StorageException.class,
        () -> backend.list(ListRequest.of(CONTAINER, "2026/"), null)));
  }

  @Test
  void expiredSasIsRejected() {
    InstantSource past = InstantSource.fixed(Instant.now().minus(Duration.ofHours(2)));
    SasToken token = BlobSas.builder().blob(CONTAINER, BLOB.key()).protocol(SasProtocol.HTTPS_AND_HTTP)
        .permissions("r").lifetime(Duration.ofMinutes(5)).clock(past).build().sign(key(PRIMARY));
    recordSignature(token);

    // Without its expiry, so the cache passes the token on and Azurite is the one that rejects it.
    SasToken withoutExpiry = SasToken.of(token.token(), null);

    failures.add(catchThrowableOfType(StorageException.class, () -> sasBackend(withoutExpiry).head(BLOB, null)));
  }

  @Test
  void readOnlySasRejectsWrite() {
    SasToken token = BlobSas.builder().container(CONTAINER).protocol(SasProtocol.HTTPS_AND_HTTP)
        .permissions("r").lifetime(Duration.ofMinutes(5)).build().sign(key(SECONDARY));
    recordSignature(token);

    failures.add(catchThrowableOfType(StorageException.class, () -> sasBackend(token)
        .put(ObjectRef.of(CONTAINER, "denied.csv"), ObjectBody.ofBytes(new byte[] {4}), "text/csv", null)));
  }

  /** Lists the token and its signature, which the canary key produced but which contain no marker. */
  private static void recordSignature(SasToken token) {
    String query = token.token().reveal();
    String signature = HttpUrl.get("http://127.0.0.1/?" + query).queryParameter("sig");
    Canary.record(query, signature);
  }

  private static SharedKey key(String accountKey) {
    return SharedKey.of(ACCOUNT, SecretValue.of(accountKey));
  }

  private static BlobBackend keyBackend(String accountKey) {
    return BlobBackend.builder().endpoint(azurite.blobEndpoint()).allowPlainHttpOnLoopback()
        .sharedKey(() -> key(accountKey)).httpClient(client).build();
  }

  private static BlobBackend sasBackend(SasToken token) {
    return BlobBackend.builder().endpoint(azurite.blobEndpoint()).allowPlainHttpOnLoopback()
        .sasToken(() -> token).httpClient(client).build();
  }
}
