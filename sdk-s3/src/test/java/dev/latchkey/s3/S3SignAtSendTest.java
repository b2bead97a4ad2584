package dev.latchkey.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.storage.Exchange;
import dev.latchkey.storage.ObjectBody;
import dev.latchkey.storage.ObjectContent;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.testkit.FakeClock;
import dev.latchkey.testkit.Fault;
import dev.latchkey.testkit.FaultInjectingProxy;
import dev.latchkey.testkit.S3ProxyServer;
import dev.latchkey.testkit.TestSts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Keys that expire between signing and sending. An application interceptor, which OkHttp runs after
 * {@link S3Backend} signed the request and before it opens the connection, moves the fake clock of
 * the test STS, the key cache and the signer past the keys' expiry, as a long wait for a connection
 * would. S3Proxy accepts only keys the STS issued and that have not expired, and the STS records
 * every request that arrives with an expired key.
 */
class S3SignAtSendTest {

  private static final Duration KEY_LIFETIME = Duration.ofSeconds(60);
  private static final String BUCKET = "reports";

  // S3Proxy checks signing times against its own clock with a 15-minute window, so the fake clock
  // starts half a lifetime in the past and ends half a lifetime in the future.
  private final FakeClock clock = FakeClock.at(Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30));
  private final AtomicBoolean delayNextConnection = new AtomicBoolean();
  private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
  private IssuedKeysSandbox sandbox;
  private TestSts sts;
  private S3ProxyServer s3;
  private CredentialCache<AwsCredentials> keys;
  private S3Backend backend;

  @BeforeEach
  void start() {
    sandbox = new IssuedKeysSandbox(clock, KEY_LIFETIME, "AKIDSIGNATSEND", "sign-at-send", BUCKET);
    sts = sandbox.sts;
    s3 = sandbox.s3;
    keys = sandbox.keys;
    backend = S3Backend.builder()
        .endpoint(s3.endpoint())
        .region("us-east-1")
        .credentials(keys)
        .clock(clock)
        .chunkedUploadThreshold(16 * 1024)
        .chunkSize(8 * 1024)
        .httpClient(new OkHttpClient.Builder()
            .addInterceptor(chain -> {
              if (delayNextConnection.getAndSet(false)) {
                clock.advance(KEY_LIFETIME.plusSeconds(1));
              }
              return chain.proceed(chain.request());
            })
            .build())
        .build();
  }

  @AfterEach
  void stop() {
    backend.close();
    sandbox.close();
  }

  @Test
  void getSignedAgainWhenKeysExpireBeforeSending() throws IOException {
    ObjectRef ref = ObjectRef.of(BUCKET, "daily/get.csv");
    byte[] content = "region,total\nnorth,7\n".getBytes(StandardCharsets.UTF_8);
    backend.put(ref, ObjectBody.ofBytes(content), "text/csv", exchange -> { });
    AwsCredentials signedWith = keys.current();

    delayNextConnection.set(true);
    byte[] read;
    try (ObjectContent object = backend.get(ref, null, exchanges::add)) {
      read = object.stream().readAllBytes();
    }

    assertThat(read).isEqualTo(content);
    assertSentOnceWithNewKeys(signedWith);
  }

  @Test
  void putSignedAgainWhenKeysExpireBeforeSending() throws IOException {
    ObjectRef ref = ObjectRef.of(BUCKET, "daily/put.csv");
    byte[] content = "region,total\nsouth,3\n".getBytes(StandardCharsets.UTF_8);
    AwsCredentials signedWith = keys.current();

    delayNextConnection.set(true);
    backend.put(ref, ObjectBody.ofBytes(content), "text/csv", exchanges::add);

    assertSentOnceWithNewKeys(signedWith);
    assertThat(readBack(ref)).isEqualTo(content);
  }

  @Test
  void chunkSignedPutSignedAgainWhenKeysExpireBeforeSending() throws IOException {
    ObjectRef ref = ObjectRef.of(BUCKET, "daily/chunked.bin");
    byte[] content = new byte[40 * 1024 + 17];
    Arrays.fill(content, (byte) 'c');
    content[content.length - 1] = 'z';
    AwsCredentials signedWith = keys.current();

    delayNextConnection.set(true);
    backend.put(ref, ObjectBody.ofBytes(content), "application/octet-stream", exchanges::add);

    assertSentOnceWithNewKeys(signedWith);
    assertThat(readBack(ref)).isEqualTo(content);
  }

  @Test
  void chunkSignedPutSignedAgainWhenOkHttpResendsIt() throws IOException {
    ObjectRef ref = ObjectRef.of(BUCKET, "daily/resent.bin");
    byte[] content = new byte[24 * 1024 + 5];
    Arrays.fill(content, (byte) 'r');
    AtomicInteger sends = new AtomicInteger();
    try (FaultInjectingProxy proxy = FaultInjectingProxy.builder(HttpUrl.get(s3.endpoint())).preserveHost(true).start();
        S3Backend throughProxy = S3Backend.builder()
            .endpoint(proxy.url("/").uri())
            .region("us-east-1")
            .credentials(keys)
            .clock(clock)
            .chunkedUploadThreshold(16 * 1024)
            .chunkSize(8 * 1024)
            .httpClient(new OkHttpClient.Builder()
                .addNetworkInterceptor(chain -> {
                  sends.incrementAndGet();
                  return chain.proceed(chain.request());
                })
                .build())
            .build()) {
      // A first request leaves a pooled connection, and OkHttp sends a request again by itself
      // when a pooled connection closes before the response.
      throughProxy.put(ObjectRef.of(BUCKET, "daily/first.csv"), ObjectBody.ofBytes(new byte[] {1}), "text/csv",
          exchange -> { });
      sends.set(0);
      proxy.enqueue(Fault.connectionReset());

      throughProxy.put(ref, ObjectBody.ofBytes(content), "application/octet-stream", exchanges::add);
    }

    assertThat(sends.get()).as("sends by OkHttp").isEqualTo(2);
    assertThat(exchanges).as("exchanges").hasSize(1);
    assertThat(exchanges.get(0).statusCode()).as("status").isEqualTo(200);
    assertThat(readBack(ref)).isEqualTo(content);
  }

  @Test
  void okHttpResendKeepsNewSignature() throws IOException {
    ObjectRef ref = ObjectRef.of(BUCKET, "daily/resent.csv");
    byte[] content = "region,total\nnorth,4\n".getBytes(StandardCharsets.UTF_8);
    backend.put(ref, ObjectBody.ofBytes(content), "text/csv", exchange -> { });
    AwsCredentials signedWith = keys.current();
    AtomicInteger sends = new AtomicInteger();
    byte[] read;
    try (FaultInjectingProxy proxy = FaultInjectingProxy.builder(HttpUrl.get(s3.endpoint())).preserveHost(true).start();
        S3Backend throughProxy = S3Backend.builder()
            .endpoint(proxy.url("/").uri())
            .region("us-east-1")
            .credentials(keys)
            .clock(clock)
            .httpClient(new OkHttpClient.Builder()
                .addInterceptor(chain -> {
                  if (delayNextConnection.getAndSet(false)) {
                    clock.advance(KEY_LIFETIME.plusSeconds(1));
                  }
                  return chain.proceed(chain.request());
                })
                .addNetworkInterceptor(chain -> {
                  sends.incrementAndGet();
                  return chain.proceed(chain.request());
                })
                .build())
            .build()) {
      // A first request leaves a pooled connection. The get is signed again with new keys once its
      // connection is open, then the connection closes and OkHttp sends the get again by itself.
      throughProxy.head(ref, exchange -> { });
      sends.set(0);
      proxy.enqueue(Fault.connectionReset());
      delayNextConnection.set(true);

      try (ObjectContent object = throughProxy.get(ref, null, exchanges::add)) {
        read = object.stream().readAllBytes();
      }
    }

    assertThat(sends.get()).as("sends by OkHttp").isEqualTo(2);
    assertThat(read).isEqualTo(content);
    assertSentOnceWithNewKeys(signedWith);
  }

  /** Checks that one request reached S3 and succeeded, signed with keys issued after {@code stale}. */
  private void assertSentOnceWithNewKeys(AwsCredentials stale) {
    assertThat(sts.expiredKeyUses()).as("requests S3Proxy received with expired keys").isEmpty();
    assertThat(exchanges).as("exchanges").hasSize(1);
    assertThat(exchanges.get(0).statusCode()).as("status").isEqualTo(200);
    assertThat(exchanges.get(0).credentialId()).as("keys sent").isNotEqualTo(stale.id())
        .isEqualTo(keys.current().id());
    assertThat(sts.issued()).as("keys issued").hasSize(2);
  }

  private byte[] readBack(ObjectRef ref) throws IOException {
    try (ObjectContent object = backend.get(ref, null, exchange -> { })) {
      return object.stream().readAllBytes();
    }
  }
}
