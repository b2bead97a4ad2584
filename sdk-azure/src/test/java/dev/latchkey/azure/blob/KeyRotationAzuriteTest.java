package dev.latchkey.azure.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.azure.BlobBackend;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.SharedKey;
import dev.latchkey.storage.Exchange;
import dev.latchkey.storage.ExchangeListener;
import dev.latchkey.storage.ObjectBody;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.storage.StorageException;
import dev.latchkey.testkit.AzuriteServer;
import dev.latchkey.testkit.Canary;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Rotation between the two keys of an account, against Azurite configured with both. */
class KeyRotationAzuriteTest {

  private static final String ACCOUNT = "rotation1";
  private static final String PRIMARY = Canary.base64Key("rotation-primary");
  private static final String SECONDARY = Canary.base64Key("rotation-secondary");
  private static final String REVOKED = Canary.base64Key("rotation-revoked");
  private static AzuriteServer azurite;
  private static OkHttpClient client;

  private final AtomicReference<String> configuredKey = new AtomicReference<>();
  private final AtomicInteger reads = new AtomicInteger();
  private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
  private final CredentialProvider<SharedKey> keyFile = () -> {
    reads.incrementAndGet();
    return SharedKey.of(ACCOUNT, SecretValue.of(configuredKey.get()));
  };

  @BeforeAll
  static void startAzurite() {
    azurite = AzuriteFixture.start(AzuriteServer.builder().account(ACCOUNT, PRIMARY, SECONDARY));
    client = AzuriteFixture.client(azurite);
    AzuriteFixture.createContainer(azurite, client, "rotating");
  }

  @AfterAll
  static void stopAzurite() {
    if (azurite != null) {
      azurite.close();
    }
  }

  @Test
  void rejectedKeyIsReadAgainAndRetriedOnce() {
    configuredKey.set(REVOKED);
    try (CredentialCache<SharedKey> keys = CredentialCache.builder(keyFile).build();
        BlobBackend backend = backend(keys)) {
      keys.current();
      configuredKey.set(SECONDARY);

      backend.put(ObjectRef.of("rotating", "after-rotation.txt"), ObjectBody.ofBytes(new byte[] {1}), null,
          exchanges::add);

      assertThat(exchanges).extracting(Exchange::statusCode).containsExactly(403, 201);
      assertThat(exchanges.get(1).credentialId()).isEqualTo(SharedKey.of(ACCOUNT, SecretValue.of(SECONDARY)).id());
      assertThat(reads).hasValue(2);
    }
  }

  @Test
  void noneListenerGetsNoReportAcrossRetry() {
    int reportsBuilt = putAfterRotationAndHeadMissing("none-listener.txt", ExchangeListener.NONE);

    assertThat(reads).as("the rejected key was read again, so the put was sent twice").hasValue(2);
    assertThat(reportsBuilt).as("reports built, each of which names the credential source").isZero();
  }

  @Test
  void recordingListenerGetsEveryReportAcrossRetry() {
    int reportsBuilt = putAfterRotationAndHeadMissing("recorded.txt", exchanges::add);

    assertThat(exchanges).extracting(Exchange::statusCode).containsExactly(403, 201, 404);
    assertThat(exchanges).extracting(Exchange::credentialProvider).containsOnly(NameCountingCache.NAME);
    assertThat(reportsBuilt).isEqualTo(3);
  }

  /**
   * Puts a blob with a revoked key held in the cache, which the backend sends again with the new
   * key, then heads a missing blob. Returns how many exchange reports the backend built.
   */
  private int putAfterRotationAndHeadMissing(String blobName, ExchangeListener listener) {
    configuredKey.set(REVOKED);
    try (NameCountingCache keys = new NameCountingCache(CredentialCache.builder(keyFile).build());
        BlobBackend backend = backend(keys)) {
      keys.current();
      configuredKey.set(SECONDARY);

      backend.put(ObjectRef.of("rotating", blobName), ObjectBody.ofBytes(new byte[] {1}), null, listener);
      assertThatThrownBy(() -> backend.head(ObjectRef.of("rotating", "missing.txt"), listener))
          .isInstanceOf(StorageException.class);
      return keys.nameCalls.get();
    }
  }

  @Test
  void bothKeysWorkAcrossRotation() {
    configuredKey.set(PRIMARY);
    try (CredentialCache<SharedKey> keys = CredentialCache.builder(keyFile).build();
        BlobBackend backend = backend(keys)) {
      backend.put(ObjectRef.of("rotating", "primary.txt"), ObjectBody.ofBytes(new byte[] {1}), null, exchanges::add);
      configuredKey.set(SECONDARY);
      keys.invalidate(keys.current());

      backend.put(ObjectRef.of("rotating", "secondary.txt"), ObjectBody.ofBytes(new byte[] {2}), null, exchanges::add);

      assertThat(exchanges).extracting(Exchange::statusCode).containsExactly(201, 201);
      assertThat(exchanges.get(0).credentialId()).isNotEqualTo(exchanges.get(1).credentialId());
    }
  }

  @Test
  void staleInvalidationKeepsNewerKey() {
    configuredKey.set(PRIMARY);
    try (CredentialCache<SharedKey> keys = CredentialCache.builder(keyFile).build()) {
      SharedKey old = keys.current();
      configuredKey.set(SECONDARY);
      keys.invalidate(old);
      SharedKey fresh = keys.current();

      keys.invalidate(old);

      assertThat(keys.current()).isSameAs(fresh);
      assertThat(reads).hasValue(2);
    }
  }

  /**
   * A cache that counts calls to {@link #name()}. The transport reads the name of its credential
   * source only to build an exchange report, so the count is the number of reports built.
   */
  private static final class NameCountingCache implements CredentialCache<SharedKey> {
    static final String NAME = "name-counting-cache";

    private final CredentialCache<SharedKey> cache;
    private final AtomicInteger nameCalls = new AtomicInteger();

    NameCountingCache(CredentialCache<SharedKey> cache) {
      this.cache = cache;
    }

    @Override
    public SharedKey current() {
      return cache.current();
    }

    @Override
    public void invalidate(SharedKey credential) {
      cache.invalidate(credential);
    }

    @Override
    public void close() {
      cache.close();
    }

    @Override
    public String name() {
      nameCalls.incrementAndGet();
      return NAME;
    }
  }

  private static BlobBackend backend(CredentialCache<SharedKey> keys) {
    return BlobBackend.builder().endpoint(azurite.blobEndpoint()).allowPlainHttpOnLoopback().sharedKey(keys)
        .httpClient(client).build();
  }
}
