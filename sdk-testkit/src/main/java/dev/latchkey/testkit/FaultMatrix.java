package dev.latchkey.testkit;

import dev.latchkey.LatchkeyException;
import dev.latchkey.credentials.Credential;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.CredentialEvent;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialNotConfiguredException;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.storage.ListPage;
import dev.latchkey.storage.ListRequest;
import dev.latchkey.storage.ObjectContent;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.storage.RetryPolicy;
import dev.latchkey.storage.StorageClient;
import dev.latchkey.storage.StorageException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * Assertions shared by the fault matrix tests. Each row of a matrix injects a fault a number of
 * times, calls a client and names the expected {@link Outcome}. Each method throws {@link
 * AssertionError} with the row's facts when the result differs, so it works with any test framework.
 *
 * <p>The credential matrices run each failing row again through a {@link CredentialCache} with
 * {@link #assertCacheServesHeld}. The storage matrices call a {@link StorageOperation} and check the
 * waits of the client's {@link RetryPolicy} with {@link #assertStorageWaits}.
 */
public final class FaultMatrix {

  private FaultMatrix() {}

  /** The expected result of a call through the injected faults. */
  public enum Outcome {
    /** The call returns a credential or a result. */
    SUCCEEDS,
    /** The call throws {@link CredentialNotConfiguredException}, so a credential chain moves on. */
    NOT_CONFIGURED,
    /** The call throws the expected {@link LatchkeyException} type with {@code isRetryable()} true. */
    RETRYABLE,
    /** The call throws the expected {@link LatchkeyException} type with {@code isRetryable()} false. */
    FATAL,
    /** The call returns, and reading the content fails with an {@link IOException}. */
    STREAM_FAILS,
    /** The call returns, and reading the content times out with an {@link InterruptedIOException}. */
    STREAM_TIMES_OUT
  }

  /**
   * Checks that {@code thrown} matches {@code outcome}. It must be {@code null} for {@link
   * Outcome#SUCCEEDS}, and otherwise an exception whose message contains {@code messageFragment},
   * except for {@link Outcome#STREAM_TIMES_OUT}, whose message is not checked. For {@link
   * Outcome#RETRYABLE} and {@link Outcome#FATAL} it must be a {@code failureType} that is not
   * {@link CredentialNotConfiguredException}.
   *
   * @param failureType the exception type a typed failure has, such as {@code CredentialException.class}
   */
  public static void assertOutcome(Throwable thrown, Outcome outcome, String messageFragment,
      Class<? extends LatchkeyException> failureType) {
    switch (outcome) {
      case SUCCEEDS -> check(thrown == null, "Expected success, but the call failed", thrown);
      case NOT_CONFIGURED -> check(thrown instanceof CredentialNotConfiguredException,
          "Expected CredentialNotConfiguredException", thrown);
      case STREAM_FAILS -> check(thrown instanceof IOException, "Expected an IOException from the content", thrown);
      case STREAM_TIMES_OUT -> check(thrown instanceof InterruptedIOException,
          "Expected a timeout (InterruptedIOException) from the content", thrown);
      case RETRYABLE, FATAL -> {
        check(failureType.isInstance(thrown) && !(thrown instanceof CredentialNotConfiguredException),
            "Expected a typed " + failureType.getSimpleName(), thrown);
        boolean retryable = ((LatchkeyException) thrown).isRetryable();
        check(retryable == (outcome == Outcome.RETRYABLE), "Expected isRetryable() " + !retryable, thrown);
      }
    }
    if (thrown != null && outcome != Outcome.STREAM_TIMES_OUT) {
      check(String.valueOf(thrown.getMessage()).contains(messageFragment),
          "Expected a message containing '" + messageFragment + "'", thrown);
    }
  }

  /**
   * Runs a failing row again through a {@link CredentialCache} over {@code provider} and checks that
   * the cache keeps serving the credential it holds.
   *
   * <p>The cache fetches a credential at the clock's time. Then the clock moves to {@code refreshAt},
   * which must be inside the credential's refresh window and before it expires, and {@code
   * injectFaults} runs. The next {@code current()} must return the held credential, and the cache
   * must report {@code ISSUED} and then {@code REFRESH_FAILED} with a {@link CredentialException}
   * cause. The cache refreshes on the calling thread and schedules nothing.
   */
  public static <C extends Credential> void assertCacheServesHeld(CredentialProvider<C> provider, FakeClock clock,
      Instant refreshAt, Runnable injectFaults) {
    List<CredentialEvent> events = new CopyOnWriteArrayList<>();
    C held;
    C served;
    try (CredentialCache<C> cache = CredentialCache.builder(provider)
        .clock(clock)
        .scheduler((task, delay) -> new CompletableFuture<>())
        .fetchExecutor(Runnable::run)
        .listener(events::add)
        .build()) {
      held = cache.current();
      clock.set(refreshAt);
      injectFaults.run();
      served = cache.current();
    }

    check(served == held, "Expected the held credential to be served through the fault", null);
    List<CredentialEvent.Type> types = events.stream().map(CredentialEvent::type).toList();
    if (!types.equals(List.of(CredentialEvent.Type.ISSUED, CredentialEvent.Type.REFRESH_FAILED))) {
      throw new AssertionError("Expected events [ISSUED, REFRESH_FAILED], but were " + types);
    }
    Throwable cause = events.get(1).failureCause().orElse(null);
    check(cause instanceof CredentialException, "Expected REFRESH_FAILED with a CredentialException cause", cause);
  }

  /**
   * Returns the waits of a client without jitter that makes at most {@code maxAttempts} attempts and
   * whose first {@code failures} attempts get 429 or 5xx. The first wait is {@code backoff}, each
   * next one doubles, every wait is capped at {@code maxDelay}, and no wait follows the last attempt.
   * A {@code retryAfter} delay, capped at {@code maxDelay}, replaces a shorter backoff.
   *
   * @param retryAfter the delay each failed response requests, or {@code null}
   */
  public static List<Duration> expectedWaits(Duration backoff, Duration maxDelay, int maxAttempts, int failures,
      Duration retryAfter) {
    List<Duration> waits = new ArrayList<>();
    Duration next = backoff;
    for (int i = 0; i < Math.min(failures, maxAttempts - 1); i++) {
      Duration wait = next.compareTo(maxDelay) > 0 ? maxDelay : next;
      if (retryAfter != null) {
        Duration requested = retryAfter.compareTo(maxDelay) > 0 ? maxDelay : retryAfter;
        wait = requested.compareTo(wait) > 0 ? requested : wait;
      }
      waits.add(wait);
      next = next.multipliedBy(2);
    }
    return waits;
  }

  /**
   * Checks the waits that a {@link StorageClient} with {@code policy} recorded while {@code fault}
   * was injected {@code times} times.
   *
   * <p>After a 429 with {@code Retry-After} there must be one wait per retry, each that delay capped
   * at {@code policy.maxDelay()}, and a thrown {@link StorageException} must carry the uncapped
   * delay. This check assumes that the requested delay exceeds every drawn backoff, so jitter
   * cannot change the wait. For any other fault, each wait must be at most the largest backoff the
   * policy can draw.
   */
  public static void assertStorageWaits(List<Duration> waits, Fault fault, int times, Throwable thrown,
      RetryPolicy policy) {
    boolean retryAfter = fault.kind() == Fault.Kind.TOO_MANY_REQUESTS && fault.delay() != null;
    if (!retryAfter) {
      Duration largest = policy.baseDelay().multipliedBy(1L << Math.max(0, policy.maxAttempts() - 2));
      Duration bound = largest.compareTo(policy.maxDelay()) > 0 ? policy.maxDelay() : largest;
      for (Duration wait : waits) {
        check(wait.compareTo(bound) <= 0, "Expected every wait to be at most " + bound + ", but waits were " + waits,
            null);
      }
      return;
    }
    Duration expected = fault.delay().compareTo(policy.maxDelay()) > 0 ? policy.maxDelay() : fault.delay();
    List<Duration> expectedWaits = new ArrayList<>();
    for (int i = 0; i < Math.min(times, policy.maxAttempts() - 1); i++) {
      expectedWaits.add(expected);
    }
    check(waits.equals(expectedWaits), "Expected waits " + expectedWaits + ", but were " + waits, null);
    if (thrown instanceof StorageException failure) {
      check(failure.retryAfter().filter(fault.delay()::equals).isPresent(),
          "Expected retryAfter() " + fault.delay() + " from the last response", thrown);
    }
  }

  /** A storage call whose result a matrix checks against the object the test wrote. */
  public enum StorageOperation {
    /** Reads the object and compares its bytes. */
    GET {
      @Override
      public void run(StorageClient storage, ObjectRef object, byte[] content) throws IOException {
        try (ObjectContent read = storage.get(object)) {
          byte[] bytes = read.stream().readAllBytes();
          check(Arrays.equals(bytes, content), "Expected the written content from get", null);
        }
      }
    },
    /**
     * Checks that head returns an ETag. Through a {@link FaultInjectingProxy} it cannot check the
     * size, because the proxy does not copy {@code Content-Length}.
     */
    HEAD {
      @Override
      public void run(StorageClient storage, ObjectRef object, byte[] content) {
        String eTag = storage.head(object).eTag();
        check(eTag != null && !eTag.isBlank(), "Expected an ETag from head", null);
      }
    },
    /** Lists the object's folder, which must contain exactly that object. */
    LIST {
      @Override
      public void run(StorageClient storage, ObjectRef object, byte[] content) {
        String prefix = object.key().substring(0, object.key().lastIndexOf('/') + 1);
        List<String> keys = storage.listPages(ListRequest.of(object.container(), prefix)).findFirst().orElseThrow()
            .objects().stream().map(ListPage.ObjectSummary::key).toList();
        check(keys.equals(List.of(object.key())), "Expected the listing " + List.of(object.key()) + ", but was " + keys,
            null);
      }
    },
    /** Writes the object again and compares the size. */
    PUT {
      @Override
      public void run(StorageClient storage, ObjectRef object, byte[] content) {
        long size = storage.put(object, content, "text/csv").size();
        check(size == content.length, "Expected size " + content.length + " from put, but was " + size, null);
      }
    };

    /**
     * Runs the call on {@code object}, which contains {@code content}.
     *
     * @throws IOException if reading the content fails
     * @throws AssertionError if the call returns a result other than the expected one
     */
    public abstract void run(StorageClient storage, ObjectRef object, byte[] content) throws IOException;
  }

  /**
   * Returns a loopback port that was bound and closed again, so nothing listens on it unless another
   * process binds it in the meantime.
   */
  public static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to bind a port on 127.0.0.1", e);
    }
  }

  /**
   * Returns an OkHttp client that keeps no idle connections, so OkHttp cannot quietly resend a
   * request whose reused connection failed, and every injected fault reaches the client under test.
   */
  public static OkHttpClient clientWithoutIdleConnections() {
    return new OkHttpClient.Builder().connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS)).build();
  }

  private static void check(boolean condition, String message, Throwable thrown) {
    if (!condition) {
      AssertionError error = new AssertionError(thrown == null ? message : message + ": " + thrown);
      if (thrown != null) {
        error.initCause(thrown);
      }
      throw error;
    }
  }
}
