package dev.latchkey.azure.blob;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.azure.BlobBackend;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.storage.Exchange;
import dev.latchkey.storage.ObjectBody;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.testkit.AzuriteServer;
import dev.latchkey.testkit.FakeClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A bearer token that goes stale between signing and sending, against Azurite over HTTPS. An
 * application interceptor of the caller's client runs after {@code BlobBackend} signed the request
 * and before the connection opens, so advancing the cache's clock there stands for a request that
 * waited for a connection until its token went stale.
 */
class BearerSignAtSendTest {

  private static final String CONTAINER = "sign-at-send";
  private static final Duration CACHE_LIFETIME = Duration.ofMinutes(5);

  private static AzuriteServer azurite;

  @BeforeAll
  static void startAzurite() {
    azurite = AzuriteFixture.start(AzuriteServer.builder().https());
    AzuriteFixture.createContainer(azurite, AzuriteFixture.client(azurite), CONTAINER);
  }

  @AfterAll
  static void stopAzurite() {
    if (azurite != null) {
      azurite.close();
    }
  }

  @Test
  void staleTokenIsReplacedBeforeSending() {
    FakeClock cacheClock = FakeClock.at(Instant.now());
    TokenSource source = new TokenSource(cacheClock);
    AtomicBoolean advanced = new AtomicBoolean();
    List<String> sentAuthorizations = new CopyOnWriteArrayList<>();
    List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    OkHttpClient client = AzuriteFixture.client(azurite).newBuilder()
        .addInterceptor(chain -> {
          if (advanced.compareAndSet(false, true)) {
            cacheClock.advance(CACHE_LIFETIME.plusMinutes(1));
          }
          return chain.proceed(chain.request());
        })
        .addNetworkInterceptor(chain -> {
          sentAuthorizations.add(chain.request().header("Authorization"));
          return chain.proceed(chain.request());
        })
        .build();

    try (CredentialCache<AccessToken> cache = CredentialCache.builder(source).clock(cacheClock).build();
        BlobBackend blob = BlobBackend.builder().endpoint(azurite.blobEndpoint()).accessToken(cache)
            .httpClient(client).build()) {
      blob.put(ObjectRef.of(CONTAINER, "stale.txt"), ObjectBody.ofBytes(bytes("stale")), "text/plain", exchanges::add);
    }

    assertThat(source.fetches.get()).as("tokens fetched").isEqualTo(2);
    assertThat(sentAuthorizations).as("Authorization headers sent")
        .containsExactly("Bearer " + source.token(2));
    assertThat(exchanges).as("exchanges reported").hasSize(1);
    assertThat(exchanges.get(0).statusCode()).as("status of Put Blob").isEqualTo(201);
    assertThat(exchanges.get(0).credentialId()).as("credential reported")
        .isEqualTo(AccessToken.bearer(SecretValue.of(source.token(2)), Instant.now()).id());
  }

  @Test
  void freshTokenIsSentAsSigned() {
    FakeClock cacheClock = FakeClock.at(Instant.now());
    TokenSource source = new TokenSource(cacheClock);
    List<String> sentAuthorizations = new CopyOnWriteArrayList<>();
    OkHttpClient client = AzuriteFixture.client(azurite).newBuilder()
        .addNetworkInterceptor(chain -> {
          sentAuthorizations.add(chain.request().header("Authorization"));
          return chain.proceed(chain.request());
        })
        .build();

    try (CredentialCache<AccessToken> cache = CredentialCache.builder(source).clock(cacheClock).build();
        BlobBackend blob = BlobBackend.builder().endpoint(azurite.blobEndpoint()).accessToken(cache)
            .httpClient(client).build()) {
      blob.put(ObjectRef.of(CONTAINER, "fresh.txt"), ObjectBody.ofBytes(bytes("fresh")), "text/plain",
          exchange -> { });
    }

    assertThat(source.fetches.get()).as("tokens fetched").isEqualTo(1);
    assertThat(sentAuthorizations).as("Authorization headers sent").containsExactly("Bearer " + source.token(1));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Returns JWTs that Azurite accepts for 10 minutes and more of real time, each different, with a
   * cache expiry 5 minutes after the cache's clock.
   */
  private static final class TokenSource implements CredentialProvider<AccessToken> {
    private final FakeClock clock;
    private final Instant realNow = Instant.now();
    final AtomicInteger fetches = new AtomicInteger();

    TokenSource(FakeClock clock) {
      this.clock = clock;
    }

    String token(int number) {
      return AzuriteFixture.storageJwt(realNow, 600 + number);
    }

    @Override
    public AccessToken fetch() {
      int number = fetches.incrementAndGet();
      return AccessToken.bearer(SecretValue.of(token(number)), clock.instant().plus(CACHE_LIFETIME));
    }

    @Override
    public String name() {
      return "test-tokens";
    }
  }
}
