package dev.latchkey.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.CredentialEvent;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.SecretValue;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Client credentials tokens of 5 seconds from mock-oauth2-server, kept fresh by a CredentialCache. */
class CachedTokenRefreshTest {

  private static final int THREADS = 32;
  private static final int CALLS_PER_STEP = 50;

  private static OAuthTestServer server;

  @BeforeAll
  static void startServer() {
    server = OAuthTestServer.start(5);
    // The server's first token takes seconds (key generation, class loading): a 5-second token
    // must not spend its life on that.
    provider(InstantSource.system()).fetch();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void forgetEarlierRequests() {
    server.drainRequests();
  }

  @Test
  void proactiveRefreshHappensBeforeExpiry() throws Exception {
    CountDownLatch refreshed = new CountDownLatch(1);
    AtomicReference<CredentialEvent> refreshEvent = new AtomicReference<>();
    CredentialCache<AccessToken> cache = CredentialCache.builder(provider(InstantSource.system()))
        .listener(event -> {
          if (event.type() == CredentialEvent.Type.REFRESHED && refreshEvent.compareAndSet(null, event)) {
            refreshed.countDown();
          }
        })
        .build();

    try (cache) {
      AccessToken first = cache.current();

      assertThat(refreshed.await(10, TimeUnit.SECONDS)).as("refreshed within 10 seconds").isTrue();
      AccessToken second = cache.current();
      assertThat(refreshEvent.get().time()).isBefore(first.expiresAt().orElseThrow());
      assertThat(second.token()).isNotEqualTo(first.token());
      assertThat(second.expiresAt().orElseThrow()).isAfter(first.expiresAt().orElseThrow());
    }
  }

  /**
   * Moves a fake clock in steps of 2.5 seconds over three token lifetimes (15 seconds) while 32
   * threads call {@code current()}. The server answers {@code expires_in} 4 or 5 for its 5-second
   * tokens. Such a token is due for refresh 1.6 to 2.5 seconds after it was issued and stale no
   * sooner than 3.6 seconds after. So each step starts exactly one refresh and no caller waits:
   * 1 first fetch plus 6 refreshes.
   */
  @Test
  void sharedProviderMakesExpectedRequests() throws Exception {
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-05-01T08:00:00Z"));
    CountingProvider provider = new CountingProvider(provider(now::get));
    Queue<String> problems = new ConcurrentLinkedQueue<>();
    CredentialCache<AccessToken> cache = CredentialCache.builder(provider)
        .clock(now::get)
        .scheduler((task, delay) -> new FutureTask<>(task, null))
        .listener(provider::onEvent)
        .build();
    CyclicBarrier barrier = new CyclicBarrier(THREADS + 1);
    AtomicBoolean done = new AtomicBoolean();
    List<Thread> callers = startCallers(cache, now, barrier, done, problems);

    try (cache) {
      for (int step = 0; step <= 6; step++) {
        now.set(Instant.parse("2026-05-01T08:00:00Z").plusMillis(2_500L * step));
        barrier.await(10, TimeUnit.SECONDS);
        barrier.await(10, TimeUnit.SECONDS);
        provider.awaitTokens(step + 1);
      }
      done.set(true);
      barrier.await(10, TimeUnit.SECONDS);
    }
    for (Thread caller : callers) {
      caller.join(10_000);
    }

    assertThat(problems).isEmpty();
    assertThat(provider.fetches()).isEqualTo(7);
    assertThat(countServerRequests()).isEqualTo(7);
  }

  private static List<Thread> startCallers(CredentialCache<AccessToken> cache, AtomicReference<Instant> now,
      CyclicBarrier barrier, AtomicBoolean done, Queue<String> problems) {
    List<Thread> callers = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      Thread caller = new Thread(() -> callUntilDone(cache, now, barrier, done, problems), "caller-" + i);
      caller.start();
      callers.add(caller);
    }
    return callers;
  }

  private static void callUntilDone(CredentialCache<AccessToken> cache, AtomicReference<Instant> now,
      CyclicBarrier barrier, AtomicBoolean done, Queue<String> problems) {
    try {
      while (true) {
        barrier.await(10, TimeUnit.SECONDS);
        if (done.get()) {
          return;
        }
        for (int call = 0; call < CALLS_PER_STEP; call++) {
          AccessToken token = cache.current();
          if (!token.expiresAt().orElseThrow().isAfter(now.get())) {
            problems.add("expired token " + token.id() + " served at " + now.get());
          }
        }
        barrier.await(10, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      problems.add(Thread.currentThread().getName() + " failed: " + e);
    }
  }

  private static int countServerRequests() {
    int count = 0;
    try {
      while (true) {
        server.takeRequest();
        count++;
      }
    } catch (RuntimeException e) {
      return count;
    }
  }

  private static ClientCredentialsProvider provider(InstantSource clock) {
    TokenEndpoint endpoint = TokenEndpoint.builder()
        .uri(server.tokenEndpoint())
        .clientAuthentication(ClientAuthentication.clientSecretBasic("exporter", SecretValue.of("secret")))
        .clock(clock)
        .build();
    return ClientCredentialsProvider.builder().tokenEndpoint(endpoint).scopes("storage.read").build();
  }

  /**
   * Counts fetches, and lets the test wait until the cache has taken a number of tokens, so the
   * fake clock moves only after the refresh a step started has ended.
   */
  private static final class CountingProvider implements CredentialProvider<AccessToken> {
    private final CredentialProvider<AccessToken> delegate;
    private int started;
    private int tokensTaken;

    CountingProvider(CredentialProvider<AccessToken> delegate) {
      this.delegate = delegate;
    }

    @Override
    public AccessToken fetch() {
      synchronized (this) {
        started++;
      }
      return delegate.fetch();
    }

    synchronized void onEvent(CredentialEvent event) {
      if (event.type() == CredentialEvent.Type.ISSUED || event.type() == CredentialEvent.Type.REFRESHED) {
        tokensTaken++;
        notifyAll();
      }
    }

    synchronized int fetches() {
      return started;
    }

    /** Waits at most 10 seconds until the cache has taken at least {@code count} tokens. */
    synchronized void awaitTokens(int count) throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (tokensTaken < count && System.nanoTime() < deadline) {
        wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      }
      if (tokensTaken < count) {
        throw new AssertionError("The cache took " + tokensTaken + " tokens within 10 seconds, expected " + count);
      }
    }
  }
}
