package dev.latchkey.azure.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.audit.EventOutcome;
import dev.latchkey.audit.EventType;
import dev.latchkey.audit.InMemoryAuditSink;
import dev.latchkey.audit.StorageRequestEvent;
import dev.latchkey.azure.BlobBackend;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.SharedKey;
import dev.latchkey.credentials.WorkloadIdentity;
import dev.latchkey.policy.AccessPolicy;
import dev.latchkey.policy.Action;
import dev.latchkey.policy.Binding;
import dev.latchkey.policy.Role;
import dev.latchkey.policy.Rule;
import dev.latchkey.storage.ObjectBody;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.storage.PutRequest;
import dev.latchkey.storage.StorageClient;
import dev.latchkey.storage.StorageException;
import dev.latchkey.testkit.AzuriteServer;
import dev.latchkey.testkit.Canary;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The storage client built with {@link BlobBackend#factory()}, against Azurite over plain HTTP on loopback. */
class BlobStorageClientTest {

  private static final String CONTAINER = "factory";
  private static AzuriteServer azurite;
  private static OkHttpClient client;

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

  private static AccessPolicy readWrite() {
    return AccessPolicy.builder()
        .role(Role.builder().name("rw")
            .rule(Rule.allow("rw").actions(Action.READ, Action.WRITE, Action.DELETE, Action.LIST)
                .resources("azure://" + azurite.accountName() + "/" + CONTAINER + "/**"))
            .build())
        .binding(Binding.builder().id("rw").identities("app").roles("rw").build())
        .build();
  }

  @Test
  void factoryWorksWithLoopbackHttpEndpoint() {
    assertThat(azurite.blobEndpoint().getScheme()).isEqualTo("http");
    ObjectRef ref = ObjectRef.of(CONTAINER, "2026/q1.csv");
    byte[] content = "id,amount\n1,42\n".getBytes(StandardCharsets.UTF_8);

    try (CredentialCache<SharedKey> keys = CredentialCache.builder(() -> AzuriteFixture.key(azurite)).build();
        StorageClient storage = StorageClient.builder()
            .identity(WorkloadIdentity.of("app"))
            .policy(readWrite())
            .backend(BlobBackend.factory())
            .endpoint(azurite.blobEndpoint())
            .credentials(keys)
            .httpClient(client)
            .build()) {
      storage.put(ref, content, "text/csv");

      assertThat(storage.getBytes(ref)).isEqualTo(content);
    }
  }

  @Test
  void clientPutsUserMetadataWithoutAuditingIt() {
    InMemoryAuditSink audit = new InMemoryAuditSink();
    ObjectRef ref = ObjectRef.of(CONTAINER, "tagged.csv");
    String value = Canary.secret("blob-metadata");

    try (CredentialCache<SharedKey> keys = CredentialCache.builder(() -> AzuriteFixture.key(azurite)).build();
        StorageClient storage = StorageClient.builder()
            .identity(WorkloadIdentity.of("app"))
            .policy(readWrite())
            .backend(BlobBackend.factory())
            .endpoint(azurite.blobEndpoint())
            .credentials(keys)
            .httpClient(client)
            .auditSink(audit)
            .build()) {
      storage.put(PutRequest.builder(ref, ObjectBody.ofBytes(new byte[] {1})).contentType("text/csv")
          .userMetadata("Owner", "billing").userMetadata("ApiToken", value).build());

      assertThat(storage.head(ref).userMetadata())
          .containsOnly(Map.entry("owner", "billing"), Map.entry("apitoken", value));
      assertThatThrownBy(() -> storage.put(PutRequest.builder(ref, ObjectBody.ofBytes(new byte[] {2}))
          .userMetadata("not-an-identifier", "x").build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'not-an-identifier'");
    }
    assertThat(audit.events(EventType.STORAGE_REQUEST)).hasSize(3);
    assertThat(audit.jsonLines()).noneMatch(line -> line.contains(Canary.MARKER));
  }

  /**
   * A stream that fails after some blocks leaves only successful Put Block exchanges, so the failure
   * itself needs an event of its own.
   */
  @Test
  void blockStreamFailureIsAudited() {
    InMemoryAuditSink audit = new InMemoryAuditSink();
    ObjectRef ref = ObjectRef.of(CONTAINER, "broken-stream.bin");
    InputStream failing = new SequenceInputStream(new ByteArrayInputStream(new byte[2048]), new InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("disk read failed at the third block");
      }
    });

    try (StorageClient storage = StorageClient.builder()
        .identity(WorkloadIdentity.of("app"))
        .policy(readWrite())
        .backend(BlobBackend.builder().endpoint(azurite.blobEndpoint()).allowPlainHttpOnLoopback()
            .sharedKey(AzuriteFixture.key(azurite)).httpClient(client).blockSize(1024).singlePutThreshold(1024).build())
        .auditSink(audit)
        .build()) {
      assertThatThrownBy(() -> storage.put(ref, ObjectBody.ofStream(failing, ObjectBody.UNKNOWN_LENGTH), null))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("disk read failed at the third block");

      List<StorageRequestEvent> events = audit.events(EventType.STORAGE_REQUEST).stream()
          .map(StorageRequestEvent.class::cast).toList();
      assertThat(events).extracting(StorageRequestEvent::method).containsExactly("PUT", "PUT", "NONE");
      assertThat(events.get(2).outcome()).isEqualTo(EventOutcome.FAILURE);
      assertThat(events.get(2).errorMessage()).contains("disk read failed at the third block");
      assertThatThrownBy(() -> storage.head(ref)).isInstanceOf(StorageException.class)
          .matches(e -> ((StorageException) e).isNotFound(), "is not found");
    }
  }

  @Test
  void factoryKeepsBearerTokensOffPlainHttp() {
    InMemoryAuditSink audit = new InMemoryAuditSink();
    ObjectRef ref = ObjectRef.of(CONTAINER, "bearer.txt");

    try (CredentialCache<AccessToken> tokens = CredentialCache.builder(
            () -> AccessToken.bearer(SecretValue.of("token-canary"), Instant.now().plusSeconds(600))).build();
        StorageClient storage = StorageClient.builder()
            .identity(WorkloadIdentity.of("app"))
            .policy(readWrite())
            .backend(BlobBackend.factory())
            .endpoint(azurite.blobEndpoint())
            .credentials(tokens)
            .httpClient(client)
            .auditSink(audit)
            .build()) {

      assertThatThrownBy(() -> storage.getBytes(ref))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("only over HTTPS")
          .hasMessageNotContaining("token-canary");
    }
    assertThat(audit.events(EventType.STORAGE_REQUEST)).isNotEmpty();
    assertThat(audit.events(EventType.STORAGE_REQUEST))
        .map(event -> ((StorageRequestEvent) event).url())
        .containsOnlyNulls();
  }

  @Test
  void factoryRejectsPlainHttpToRemoteHost() {
    assertThatThrownBy(() -> StorageClient.builder().endpoint(URI.create("http://storage.example.com/account")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use https");
  }
}
