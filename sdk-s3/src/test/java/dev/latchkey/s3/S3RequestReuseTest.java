package dev.latchkey.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.providers.StaticCredentialProvider;
import dev.latchkey.storage.Exchange;
import dev.latchkey.storage.ObjectBody;
import dev.latchkey.storage.ObjectContent;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.testkit.FakeClock;
import dev.latchkey.testkit.S3ProxyServer;
import dev.latchkey.testkit.TestSts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Repeated requests for the same object, which the backend and its transport send again without
 * signing them anew while the keys and the second of the signing time are the same. S3Proxy accepts
 * only keys the test STS issued that have not expired, and checks every signature, so a request
 * sent again with a stale signature or stale keys fails. A network interceptor records the
 * {@code Authorization} header of every request on the wire.
 */
class S3RequestReuseTest {

  private static final Duration KEY_LIFETIME = Duration.ofSeconds(60);
  private static final String BUCKET = "reports";

  // S3Proxy checks signing times against its own clock with a 15-minute window.
  private final FakeClock clock = FakeClock.at(Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30));
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final AtomicBoolean delayNextConnection = new AtomicBoolean();
  private volatile Runnable beforeNextSend;
  private IssuedKeysSandbox sandbox;
  private TestSts sts;
  private S3ProxyServer s3;
  private CredentialCache<AwsCredentials> keys;
  private S3Backend backend;

  @BeforeEach
  void start() {
    sandbox = new IssuedKeysSandbox(clock, KEY_LIFETIME, "AKIDREUSE", "request-reuse", BUCKET);
    sts = sandbox.sts;
    s3 = sandbox.s3;
    keys = sandbox.keys;
    backend = S3Backend.builder()
        .endpoint(s3.endpoint())
        .region("us-east-1")
        .credentials(keys)
        .clock(clock)
        .httpClient(new OkHttpClient.Builder()
            .addInterceptor(chain -> {
              Runnable action = beforeNextSend;
              if (action != null) {
                beforeNextSend = null;
                action.run();
              }
              if (delayNextConnection.getAndSet(false)) {
                clock.advance(KEY_LIFETIME.plusSeconds(1));
              }
              return chain.proceed(chain.request());
            })
            .addNetworkInterceptor(chain -> {
              authorizations.add(chain.request().header("Authorization"));
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
  void sameSecondSendsSameSignature() {
    ObjectRef ref = upload("daily/same-second.csv", "region,total\nnorth,7\n");
    authorizations.clear();

    String first = read(ref);
    String second = read(ref);

    assertThat(first).isEqualTo("region,total\nnorth,7\n");
    assertThat(second).isEqualTo(first);
    assertThat(authorizations).as("Authorization headers sent").hasSize(2);
    assertThat(authorizations.get(1)).as("second signature").isEqualTo(authorizations.get(0));
  }

  @Test
  void nextSecondSignsAgain() {
    ObjectRef ref = upload("daily/next-second.csv", "region,total\nsouth,3\n");
    authorizations.clear();

    read(ref);
    clock.advance(Duration.ofMillis(1_000));
    String content = read(ref);

    assertThat(content).isEqualTo("region,total\nsouth,3\n");
    assertThat(authorizations).as("Authorization headers sent").hasSize(2);
    assertThat(authorizations.get(1)).as("signature in the next second").isNotEqualTo(authorizations.get(0));
  }

  @Test
  void replacedKeysSignAgainInSameSecond() {
    ObjectRef ref = upload("daily/rotated.csv", "region,total\neast,5\n");
    read(ref);
    AwsCredentials first = keys.current();

    keys.invalidate(first);
    AwsCredentials second = keys.current();
    authorizations.clear();
    String content = read(ref);

    assertThat(second.id()).as("keys after invalidation").isNotEqualTo(first.id());
    assertThat(content).isEqualTo("region,total\neast,5\n");
    assertThat(authorizations).as("Authorization headers sent").hasSize(1);
    assertThat(authorizations.get(0)).as("keys sent").contains(second.id()).doesNotContain(first.id());
  }

  @Test
  void signedAgainAtSendNotReused() {
    ObjectRef ref = upload("daily/signed-again.csv", "region,total\nwest,2\n");
    AwsCredentials stale = keys.current();

    delayNextConnection.set(true);
    read(ref);
    authorizations.clear();
    String content = read(ref);

    assertThat(content).isEqualTo("region,total\nwest,2\n");
    assertThat(sts.expiredKeyUses()).as("requests S3Proxy received with expired keys").isEmpty();
    assertThat(authorizations).as("Authorization headers sent").hasSize(1);
    assertThat(authorizations.get(0)).as("keys sent").doesNotContain(stale.id());
  }

  @Test
  void nestedGetKeepsOuterRequest() {
    ObjectRef ref = upload("daily/nested.csv", "region,total\nmiddle,9\n");
    read(ref);
    List<String> nested = new ArrayList<>();

    // While the outer get is being sent, a get of the same object on the same thread waits so long
    // for its connection that the keys expire, so it is signed again with new keys.
    beforeNextSend = () -> {
      delayNextConnection.set(true);
      nested.add(read(ref));
    };
    String outer = read(ref);

    assertThat(nested).containsExactly("region,total\nmiddle,9\n");
    assertThat(outer).isEqualTo("region,total\nmiddle,9\n");
    assertThat(sts.expiredKeyUses()).as("requests S3Proxy received with expired keys").isEmpty();
  }

  @Test
  void manyThreadsReadTheirOwnObjects() throws Exception {
    int objects = 4;
    List<ObjectRef> refs = new ArrayList<>();
    for (int i = 0; i < objects; i++) {
      refs.add(upload("daily/part-" + i + ".csv", "part " + i));
    }
    int threads = 8;
    int readsPerThread = 60;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<List<String>>> results = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        int offset = t;
        results.add(pool.submit(() -> {
          ready.countDown();
          go.await();
          List<String> mismatches = new ArrayList<>();
          for (int i = 0; i < readsPerThread; i++) {
            int index = (offset + i / 3) % objects;
            String content = read(refs.get(index));
            if (!content.equals("part " + index)) {
              mismatches.add(index + ": " + content);
            }
            if (offset == 0 && i % 20 == 19) {
              clock.advance(Duration.ofSeconds(1));
            }
          }
          return mismatches;
        }));
      }
      assertThat(ready.await(10, TimeUnit.SECONDS)).as("threads ready").isTrue();
      go.countDown();
      for (Future<List<String>> result : results) {
        assertThat(result.get(60, TimeUnit.SECONDS)).as("objects read with other content").isEmpty();
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(sts.expiredKeyUses()).as("requests S3Proxy received with expired keys").isEmpty();
    assertThat(authorizations).as("requests sent").hasSize(threads * readsPerThread + objects);
  }

  @Test
  void discardedBackendIsNotKeptByThread() {
    ObjectRef ref = upload("daily/discarded.csv", "region,total\nfar,1\n");
    WeakReference<CredentialProvider<AwsCredentials>> provider = readWithDiscardedBackend(ref);

    // A thread that lives on, such as this one or a pool thread, must not keep the backend's
    // transport and credential provider through its memo of the last request.
    for (int i = 0; i < 50 && provider.get() != null; i++) {
      System.gc();
    }

    assertThat(provider.get()).as("credential provider of a closed backend").isNull();
  }

  /** Reads {@code ref} on this thread with a backend that is closed and dropped before returning. */
  private WeakReference<CredentialProvider<AwsCredentials>> readWithDiscardedBackend(ObjectRef ref) {
    CredentialProvider<AwsCredentials> provider = StaticCredentialProvider.of(keys.current());
    S3Backend discarded = S3Backend.builder()
        .endpoint(s3.endpoint())
        .region("us-east-1")
        .credentials(provider)
        .clock(clock)
        .build();
    try (ObjectContent object = discarded.get(ref, null, null)) {
      assertThat(object.stream().readAllBytes()).as("content").isNotEmpty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    discarded.close();
    return new WeakReference<>(provider);
  }

  private ObjectRef upload(String key, String content) {
    ObjectRef ref = ObjectRef.of(BUCKET, key);
    backend.put(ref, ObjectBody.ofBytes(content.getBytes(StandardCharsets.UTF_8)), "text/csv", exchange -> { });
    return ref;
  }

  private String read(ObjectRef ref) {
    List<Exchange> exchanges = new ArrayList<>();
    try (ObjectContent object = backend.get(ref, null, exchanges::add)) {
      String content = new String(object.stream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(exchanges).as("exchanges of one get").hasSize(1);
      assertThat(exchanges.get(0).statusCode()).as("status").isEqualTo(200);
      return content;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
