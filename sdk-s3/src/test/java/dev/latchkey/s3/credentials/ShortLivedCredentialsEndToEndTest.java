package dev.latchkey.s3.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.auth.ClientAuthentication;
import dev.latchkey.auth.ClientCredentialsProvider;
import dev.latchkey.auth.TokenEndpoint;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.CredentialEvent;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.s3.S3Backend;
import dev.latchkey.storage.ExchangeListener;
import dev.latchkey.storage.ObjectBody;
import dev.latchkey.storage.ObjectContent;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.testkit.FakeClock;
import dev.latchkey.testkit.OidcIssuer;
import dev.latchkey.testkit.S3ProxyServer;
import dev.latchkey.testkit.TestSts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.junit.jupiter.api.Test;

/**
 * Keys from a test STS that S3Proxy accepts only until they expire, and a client that keeps working
 * across several expiries: OAuth 2.0 client credentials from mock-oauth2-server, exchanged with
 * AssumeRoleWithWebIdentity behind a {@link CredentialCache}, used by the native S3 backend.
 *
 * <p>One fake clock drives the STS, the cache and the signer, and the test moves it one second per
 * request, waiting for the cache's REFRESHED event before it would pass a key's stale time. S3Proxy
 * checks request times against its own clock, but the fake clock stays within its 15-minute skew
 * window.
 */
class ShortLivedCredentialsEndToEndTest {

  private static final Duration KEY_LIFETIME = Duration.ofSeconds(6);
  private static final int REFRESHES = 5;
  private static final int MAX_STEPS = 60;
  private static final Duration STEP = Duration.ofSeconds(1);
  private static final String POLICY = """
      {"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::reports/e2e/*"}]}
      """;

  @Test
  void clientOutlivesSeveralKeyExpiries() throws IOException, InterruptedException {
    FakeClock clock = FakeClock.at(Instant.now());
    List<CredentialEvent> events = new CopyOnWriteArrayList<>();
    BlockingQueue<CredentialEvent> refreshed = new LinkedBlockingQueue<>();
    BlobStore store = S3ProxyServer.newTransientBlobStore();
    try (OidcIssuer issuer = OidcIssuer.builder().audience("sts.amazonaws.com").subject("report-writer").start();
        TestSts sts = TestSts.builder()
            .clock(clock)
            .defaultLifetime(KEY_LIFETIME)
            .trustIssuer(issuer.issuerUrl().toString(), issuer.jwksUrl().uri(), "sts.amazonaws.com")
            .start();
        S3ProxyServer s3 = S3ProxyServer.builder()
            .blobStore(store)
            .blobStoreLocator(sts.blobStoreLocator(store))
            .ignoreUnknownHeaders(true)
            .start();
        CredentialCache<AccessToken> tokens = CredentialCache.builder(oauthClient(issuer)).build();
        CredentialCache<AwsCredentials> keys = CredentialCache.builder(webIdentity(sts, tokens))
            .clock(clock)
            .listener(events::add)
            .listener(event -> {
              if (event.type() == CredentialEvent.Type.REFRESHED) {
                refreshed.add(event);
              }
            })
            .build();
        S3Backend backend = S3Backend.builder()
            .endpoint(s3.endpoint())
            .region("us-east-1")
            .credentials(keys)
            .clock(clock)
            .build()) {
      s3.createBucket("reports");

      List<String> keysUsed = new ArrayList<>();
      int step = 0;
      while (refreshCount(events) < REFRESHES && step < MAX_STEPS) {
        String content = "row " + step;
        ObjectRef ref = ObjectRef.of("reports", "e2e/part-" + step + ".csv");
        backend.put(ref, ObjectBody.ofBytes(content.getBytes(StandardCharsets.UTF_8)), "text/csv", ExchangeListener.NONE);
        assertThat(read(backend, ref)).isEqualTo(content);
        AwsCredentials current = keys.current();
        keysUsed.add(current.accessKeyId());

        if (nextStepIsStale(clock, current)) {
          awaitReplacement(refreshed, current);
        }
        clock.advance(STEP);
        step++;
      }

      assertThat(refreshCount(events)).isGreaterThanOrEqualTo(REFRESHES);
      assertThat(events).extracting(CredentialEvent::type)
          .doesNotContain(CredentialEvent.Type.REFRESH_FAILED, CredentialEvent.Type.EXPIRED);
      // The last refresh may finish after the last request, so requests used at least REFRESHES keys.
      assertThat(keysUsed.stream().distinct().count()).isGreaterThanOrEqualTo(REFRESHES);
      assertThat(sts.expiredKeyUses()).isEmpty();
      assertThat(sts.issued()).allSatisfy(issued -> {
        assertThat(issued.subject()).isEqualTo("report-writer");
        assertThat(issued.policy()).isPresent();
      });
      long expiredDuringTest = sts.issued().stream().filter(issued -> issued.isExpiredAt(clock.instant())).count();
      assertThat(expiredDuringTest).isGreaterThanOrEqualTo(3);
    }
  }

  private static ClientCredentialsProvider oauthClient(OidcIssuer issuer) {
    TokenEndpoint endpoint = TokenEndpoint.builder()
        .uri(issuer.tokenEndpoint().uri())
        .clientAuthentication(ClientAuthentication.clientSecretBasic("report-writer", SecretValue.of("unused")))
        .build();
    return ClientCredentialsProvider.builder().tokenEndpoint(endpoint).build();
  }

  private static WebIdentityCredentialsProvider webIdentity(TestSts sts, CredentialCache<AccessToken> tokens) {
    return WebIdentityCredentialsProvider.builder()
        .roleArn("arn:aws:iam::123456789012:role/report-writer")
        .roleSessionName("e2e")
        .policy(POLICY)
        .tokenProvider(tokens)
        .endpoint(sts.endpoint())
        .build();
  }

  /**
   * Returns whether one more step reaches the cache's stale time, {@code E - L/10} for keys this
   * short, after which callers would have to wait for a refresh.
   */
  private static boolean nextStepIsStale(FakeClock clock, AwsCredentials current) {
    Instant staleAt = current.expiresAt().orElseThrow().minus(KEY_LIFETIME.dividedBy(10));
    return !clock.instant().plus(STEP).isBefore(staleAt);
  }

  /**
   * Waits for the background refresh that a request in the refresh window started, so the test
   * never moves the clock past a key's stale time while its replacement is still being fetched.
   */
  private static void awaitReplacement(BlockingQueue<CredentialEvent> refreshed, AwsCredentials current)
      throws InterruptedException {
    while (true) {
      CredentialEvent event = refreshed.poll(30, TimeUnit.SECONDS);
      assertThat(event).as("REFRESHED event replacing %s", current.accessKeyId()).isNotNull();
      // Events of earlier refreshes may still be queued; only a key that outlives the current one counts.
      if (event.expiresAt() != null && event.expiresAt().isAfter(current.expiresAt().orElseThrow())) {
        return;
      }
    }
  }

  private static long refreshCount(List<CredentialEvent> events) {
    return events.stream().filter(event -> event.type() == CredentialEvent.Type.REFRESHED).count();
  }

  private static String read(S3Backend backend, ObjectRef ref) throws IOException {
    try (ObjectContent content = backend.get(ref, null, ExchangeListener.NONE)) {
      return new String(content.stream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
