package dev.latchkey.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.signing.ClockSkew;
import dev.latchkey.storage.Exchange;
import dev.latchkey.storage.ObjectBody;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.testkit.S3ProxyServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** The two retries of the S3 backend: after clock skew and after an expired session token. */
class S3BackendRetryTest {

  private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

  @Test
  void skewedClockIsCorrectedAndRetried() {
    try (S3ProxyServer server = S3ProxyServer.builder().maximumTimeSkew(Duration.ofSeconds(5)).start()) {
      server.createBucket("skew");
      AwsCredentials keys = AwsCredentials.of(server.identity(), SecretValue.of(server.credential()));
      ClockSkew skew = ClockSkew.create();
      InstantSource tenMinutesAhead = InstantSource.offset(InstantSource.system(), Duration.ofMinutes(10));
      S3Backend backend = S3Backend.builder().endpoint(server.endpoint()).region("us-east-1")
          .credentials(() -> keys).clock(tenMinutesAhead).clockSkew(skew).build();

      backend.put(ObjectRef.of("skew", "a.txt"), ObjectBody.ofBytes(bytes("a")), "text/plain", exchanges::add);

      assertThat(exchanges).extracting(Exchange::statusCode).containsExactly(403, 200);
      assertThat(exchanges.get(0).errorCode()).isEqualTo("RequestTimeTooSkewed");
      assertThat(skew.offset()).isBetween(Duration.ofMinutes(-11), Duration.ofMinutes(-9));
      assertThat(server.objectExists("skew", "a.txt")).isTrue();
    }
  }

  @Test
  void expiredTokenInvalidatesCredentialAndRetries() throws IOException, InterruptedException {
    AtomicInteger issued = new AtomicInteger();
    CredentialCache<AwsCredentials> cache = CredentialCache.builder(() -> AwsCredentials.builder()
        .accessKeyId("ASIAKEY" + issued.incrementAndGet())
        .secretAccessKey(SecretValue.of("secret"))
        .sessionToken(SecretValue.of("token" + issued.get()))
        .expiresAt(Instant.now().plus(Duration.ofHours(1)))
        .build()).build();
    try (MockWebServer server = new MockWebServer(); cache) {
      server.start(InetAddress.getByName("127.0.0.1"), 0);
      server.enqueue(new MockResponse.Builder().code(400)
          .body("<Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message>"
              + "<RequestId>R1</RequestId></Error>").build());
      server.enqueue(new MockResponse.Builder().code(200).addHeader("ETag", "\"e\"").build());
      S3Backend backend = S3Backend.builder().endpoint(server.url("/").uri()).region("us-east-1")
          .credentials(cache).build();

      backend.put(ObjectRef.of("bucket", "k.txt"), ObjectBody.ofBytes(bytes("k")), "text/plain", exchanges::add);

      RecordedRequest first = server.takeRequest();
      RecordedRequest second = server.takeRequest();
      assertThat(first.getHeaders().get("Authorization")).contains("Credential=ASIAKEY1/");
      assertThat(second.getHeaders().get("Authorization")).contains("Credential=ASIAKEY2/");
      assertThat(second.getHeaders().get("X-Amz-Security-Token")).isEqualTo("token2");
      assertThat(exchanges).extracting(Exchange::errorCode).containsExactly("ExpiredToken", null);
      assertThat(exchanges.get(0).requestId()).isEqualTo("R1");
    }
  }

  @Test
  void secondExpiredTokenIsNotRetriedAgain() throws IOException {
    AtomicInteger issued = new AtomicInteger();
    CredentialCache<AwsCredentials> cache = CredentialCache.builder(() -> AwsCredentials.builder()
        .accessKeyId("ASIAKEY" + issued.incrementAndGet()).secretAccessKey(SecretValue.of("secret"))
        .expiresAt(Instant.now().plus(Duration.ofHours(1))).build()).build();
    try (MockWebServer server = new MockWebServer(); cache) {
      server.start(InetAddress.getByName("127.0.0.1"), 0);
      for (int i = 0; i < 2; i++) {
        server.enqueue(new MockResponse.Builder().code(403)
            .body("<Error><Code>InvalidToken</Code><Message>bad</Message></Error>").build());
      }
      S3Backend backend = S3Backend.builder().endpoint(server.url("/").uri()).region("us-east-1")
          .credentials(cache).build();

      org.junit.jupiter.api.Assertions.assertThrows(dev.latchkey.storage.StorageException.class,
          () -> backend.get(ObjectRef.of("bucket", "k.txt"), null, exchanges::add));

      assertThat(exchanges).hasSize(2);
      assertThat(server.getRequestCount()).isEqualTo(2);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
