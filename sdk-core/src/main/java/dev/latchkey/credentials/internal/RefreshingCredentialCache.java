package dev.latchkey.credentials.internal;

import dev.latchkey.audit.Redactor;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.Credential;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.CredentialEvent;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialListener;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.CredentialUnavailableException;
import dev.latchkey.credentials.RefreshScheduler;
import dev.latchkey.credentials.SasToken;
import dev.latchkey.credentials.internal.CacheSnapshot.State;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link CredentialCache} state machine: one immutable {@link CacheSnapshot} in a volatile
 * field, replaced only by the one fetch in flight, by {@link #invalidate}, or by {@link #close()}.
 *
 * <p>A hit (a fresh credential) reads the snapshot once and the clock once, through {@link
 * InstantSource#millis()}, takes no lock and allocates nothing. Every other path is rare and may
 * lock and allocate. The lock guards the start of a fetch, the replacement of the snapshot and the
 * scheduled task. It is never held while a provider or a listener runs.
 *
 * <p>Thread-safe.
 */
public final class RefreshingCredentialCache<C extends Credential> implements CredentialCache<C> {

  private static final Logger log = LoggerFactory.getLogger(RefreshingCredentialCache.class);

  private final CredentialProvider<C> provider;
  private final String providerName;
  private final InstantSource clock;
  private final RefreshScheduler scheduler;
  private final Executor fetchExecutor;
  private final List<CredentialListener> listeners;
  private final Duration maxWait;
  private final long defaultLifetimeMillis;
  private final long maxAgeMillis;
  private final long backoffBaseMillis;
  private final long backoffCapMillis;

  /** Used only by the one fetch in flight, so never by two threads at once. */
  private final SplittableRandom random;

  private final ReentrantLock lock = new ReentrantLock();

  /**
   * Serializes {@link #invalidate}, so one caller reports a rejected credential however many
   * callers reject it. Held while INVALIDATED listeners run, never while a provider runs.
   */
  private final ReentrantLock invalidationLock = new ReentrantLock();
  private final AtomicReference<CacheSnapshot<C>> servedStaleReported = new AtomicReference<>();
  private final AtomicReference<Credential> expiredReported = new AtomicReference<>();

  private volatile CacheSnapshot<C> snapshot = CacheSnapshot.empty();

  /** The fetch in flight, or {@code null}; written under {@link #lock}. */
  private volatile CompletableFuture<C> inFlight;

  /** The next proactive refresh or retry; guarded by {@link #lock}. */
  private Future<?> scheduledRefresh;

  public RefreshingCredentialCache(CacheOptions<C> options) {
    this.provider = options.provider();
    this.providerName = provider.name();
    this.clock = options.clock();
    this.scheduler = options.scheduler();
    this.fetchExecutor = options.fetchExecutor();
    this.listeners = options.listeners();
    this.maxWait = options.maxWait();
    this.defaultLifetimeMillis = options.defaultLifetime().toMillis();
    this.maxAgeMillis = options.maxAge().map(Duration::toMillis).orElse(Long.MAX_VALUE);
    this.backoffBaseMillis = options.backoffBase().toMillis();
    this.backoffCapMillis = options.backoffCap().toMillis();
    this.random = options.jitterSeed().isPresent()
        ? new SplittableRandom(options.jitterSeed().getAsLong())
        : new SplittableRandom();
  }

  @Override
  public C current() {
    CacheSnapshot<C> observed = snapshot;
    long now = clock.millis();
    if (now < observed.refreshAt) {
      return observed.credential;
    }
    return currentSlowly(observed, now);
  }

  @Override
  public void invalidate(C credential) {
    Objects.requireNonNull(credential, "credential");
    invalidationLock.lock();
    try {
      CacheSnapshot<C> observed = snapshot;
      if (!isInvalidatable(observed, credential)) {
        return;
      }

      // Listeners hear INVALIDATED before the state changes, because the fetch that the change
      // lets callers start would otherwise be able to report REFRESHED first.
      publish(CredentialEvent.Type.INVALIDATED, credential, null, clock.millis());
      markInvalidated(credential);
    } finally {
      invalidationLock.unlock();
    }
  }

  private boolean isInvalidatable(CacheSnapshot<C> observed, C credential) {
    return observed.credential == credential && !observed.isInvalidated() && !observed.closed;
  }

  private void markInvalidated(C credential) {
    lock.lock();
    try {
      CacheSnapshot<C> observed = snapshot;
      if (!isInvalidatable(observed, credential)) {
        // NOTE: a scheduled refresh replaced the credential while listeners heard INVALIDATED, so
        // the event names a credential the cache no longer serves.
        return;
      }
      snapshot = observed.invalidated();
    } finally {
      lock.unlock();
    }

    log.debug("Invalidated credential {} of provider '{}'; the next call fetches a new one",
        credential.id(), providerName);
  }

  @Override
  public void close() {
    CompletableFuture<C> pending;
    lock.lock();
    try {
      if (snapshot.closed) {
        return;
      }
      snapshot = CacheSnapshot.closed();
      cancelScheduledRefresh();
      pending = inFlight;
      inFlight = null;
    } finally {
      lock.unlock();
    }

    if (pending != null) {
      pending.completeExceptionally(closedFailure());
    }
    log.debug("Closed the credential cache of provider '{}'", providerName);
  }

  @Override
  public String name() {
    return providerName;
  }

  @Override
  public String toString() {
    CacheSnapshot<C> observed = snapshot;
    String credentialId = observed.credential == null ? "none" : observed.credential.id();
    return "CredentialCache[provider=" + providerName + ", state=" + observed.stateAt(clock.millis())
        + ", credential=" + credentialId + "]";
  }

  private C currentSlowly(CacheSnapshot<C> observed, long now) {
    State state = observed.stateAt(now);
    if (state == State.FRESH) {
      return observed.credential;
    }
    if (state == State.REFRESH_DUE) {
      return serveWhileRefreshing(observed, now);
    }
    if (state == State.CLOSED) {
      throw closedFailure();
    }
    return awaitFetch(observed, now);
  }

  /** Serves the held credential at once and makes sure one fetch runs, unless failures back off. */
  private C serveWhileRefreshing(CacheSnapshot<C> observed, long now) {
    if (inFlight == null && !observed.isBackingOff(now)) {
      joinOrStartFetch(observed);
    }

    if (observed.lastFailure != null) {
      reportServedStale(observed, now);
    }
    return observed.credential;
  }

  /** Waits for the fetch in flight, starting one if needed, when no credential may be served. */
  private C awaitFetch(CacheSnapshot<C> observed, long now) {
    reportExpired(observed, now);
    if (observed.isBackingOff(now) && inFlight == null) {
      Instant retryAt = Instant.ofEpochMilli(observed.retryAt);
      throw unavailable(observed.lastFailure, "the next fetch starts at " + retryAt);
    }

    CompletableFuture<C> fetch = joinOrStartFetch(observed);
    if (fetch == null) {
      return current();
    }
    return await(fetch);
  }

  /**
   * Returns the fetch in flight, starting one if there is none. Returns {@code null} without
   * starting one if the snapshot is no longer {@code observed}, because then a fetch has ended (or the
   * cache was invalidated or closed) since the caller looked, and the caller must look again.
   */
  private CompletableFuture<C> joinOrStartFetch(CacheSnapshot<C> observed) {
    CompletableFuture<C> fetch;
    lock.lock();
    try {
      if (snapshot != observed) {
        return null;
      }
      if (inFlight != null) {
        return inFlight;
      }
      fetch = new CompletableFuture<>();
      inFlight = fetch;
    } finally {
      lock.unlock();
    }

    submit(fetch);
    return fetch;
  }

  private void submit(CompletableFuture<C> fetch) {
    try {
      fetchExecutor.execute(() -> runFetch(fetch));
    } catch (RejectedExecutionException e) {
      onFailure(fetch, new CredentialException(
          "The fetch executor rejected the fetch for provider '" + providerName
              + "'; it may be shut down: give the cache a running executor", e, true));
    }
  }

  private void runFetch(CompletableFuture<C> fetch) {
    C credential;
    try {
      credential = provider.fetch();
    } catch (RuntimeException e) {
      onFailure(fetch, e);
      return;
    } catch (Error e) {
      onFailure(fetch, e);
      throw e;
    }
    onFetched(fetch, credential);
  }

  private void onFetched(CompletableFuture<C> fetch, C credential) {
    long now = clock.millis();
    CacheSnapshot<C> next;
    try {
      next = snapshotOf(credential, now);
    } catch (CredentialException e) {
      onFailure(fetch, e);
      return;
    }

    CacheSnapshot<C> previous = install(next, now);
    if (previous == null) {
      return;
    }
    log.debug("Fetched credential {} from provider '{}': expires at {}, refresh at {}",
        credential.id(), providerName, next.expiresAt, Instant.ofEpochMilli(next.refreshAt));

    // Listeners hear of the new credential before the callers waiting for it are released, so a
    // caller that then rejects it reports INVALIDATED after ISSUED or REFRESHED.
    if (previous.credential != credential) {
      CredentialEvent.Type type =
          previous.credential == null ? CredentialEvent.Type.ISSUED : CredentialEvent.Type.REFRESHED;
      publish(type, credential, null, now);
    }
    fetch.complete(credential);
  }

  /** Replaces the snapshot after a successful fetch; returns the replaced one, or {@code null} if closed. */
  private CacheSnapshot<C> install(CacheSnapshot<C> next, long now) {
    lock.lock();
    try {
      CacheSnapshot<C> previous = snapshot;
      if (previous.closed) {
        return null;
      }
      snapshot = next;
      inFlight = null;
      scheduleRefresh(next.refreshAt, now);
      return previous;
    } finally {
      lock.unlock();
    }
  }

  private void onFailure(CompletableFuture<C> fetch, Throwable failure) {
    long now = clock.millis();
    CacheSnapshot<C> next;
    long delay;
    lock.lock();
    try {
      CacheSnapshot<C> previous = snapshot;
      if (previous.closed) {
        return;
      }
      delay = Math.max(Math.min(requestedDelayMillis(failure), backoffCapMillis), RefreshTiming.backoff(
          previous.consecutiveFailures + 1, backoffBaseMillis, backoffCapMillis, random));
      next = previous.withFailure(failure, now + delay);
      snapshot = next;
      inFlight = null;
      scheduleRefresh(next.retryAt, now);
    } finally {
      lock.unlock();
    }
    fetch.completeExceptionally(failure);

    log.warn("Fetch from provider '{}' failed ({} in a row); the next attempt is in {} ms",
        providerName, next.consecutiveFailures, delay, Redactor.throwable(failure));
    publish(CredentialEvent.Type.REFRESH_FAILED, next.credential, failure, now);
  }

  /**
   * Returns the wait the source asked for, such as HTTP {@code Retry-After}, or 0 when it named none.
   * The caller caps it at the backoff cap, so one response cannot stop refreshes for longer.
   */
  private static long requestedDelayMillis(Throwable failure) {
    if (failure instanceof CredentialException credentialFailure) {
      return credentialFailure.retryAfter()
          .map(delay -> delay.compareTo(MAX_REQUESTED_DELAY) > 0 ? MAX_REQUESTED_DELAY : delay)
          .map(Duration::toMillis)
          .orElse(0L);
    }
    return 0;
  }

  private static final Duration MAX_REQUESTED_DELAY = Duration.ofDays(1);

  /**
   * Computes the thresholds of a fetched credential.
   *
   * @throws CredentialException if the provider returned {@code null} or an expired credential
   */
  private CacheSnapshot<C> snapshotOf(C credential, long now) {
    if (credential == null) {
      throw new CredentialException("Provider '" + providerName
          + "' returned null: a provider must return a credential or throw", false);
    }
    Instant expiresAt = credential.expiresAt().orElse(null);
    if (expiresAt == null && shouldExpire(credential)) {
      expiresAt = Instant.ofEpochMilli(now + defaultLifetimeMillis);
    }
    if (expiresAt == null) {
      return CacheSnapshot.fetched(credential, capByMaxAge(Long.MAX_VALUE, now), Long.MAX_VALUE, null);
    }

    long expiry = saturatedEpochMillis(expiresAt);
    if (expiry <= now) {
      throw new CredentialException("Provider '" + providerName + "' returned credential "
          + credential.id() + " that expired at " + expiresAt + ", not after now ("
          + Instant.ofEpochMilli(now) + "): check the issuer and the clocks of both hosts", true);
    }
    long staleAt = RefreshTiming.staleTime(now, expiry);
    long refreshAt = capByMaxAge(refreshTime(credential, now, expiry, staleAt), now);
    return CacheSnapshot.fetched(credential, refreshAt, staleAt, expiresAt);
  }

  private long capByMaxAge(long refreshAt, long now) {
    return maxAgeMillis == Long.MAX_VALUE ? refreshAt : Math.min(refreshAt, now + maxAgeMillis);
  }

  /** Returns the issuer's refresh time if it lies between now and the stale time, else the jittered one. */
  private long refreshTime(C credential, long now, long expiry, long staleAt) {
    Instant issuerRefreshAt = credential.refreshAt().orElse(null);
    if (issuerRefreshAt != null) {
      long requested = saturatedEpochMillis(issuerRefreshAt);
      if (requested > now && requested < staleAt) {
        return requested;
      }
    }
    return RefreshTiming.refreshTime(now, expiry, random);
  }

  /**
   * Returns whether a credential of this kind is issued for a limited time, so a missing expiry
   * means the issuer did not say rather than "never": access tokens, SAS tokens and temporary AWS
   * credentials. Static keys (AWS keys without a session token, shared keys, API keys) are not.
   */
  private static boolean shouldExpire(Credential credential) {
    if (credential instanceof AwsCredentials aws) {
      return aws.sessionToken().isPresent();
    }
    return credential instanceof AccessToken || credential instanceof SasToken;
  }

  private static long saturatedEpochMillis(Instant instant) {
    try {
      return instant.toEpochMilli();
    } catch (ArithmeticException e) {
      return instant.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  private C await(CompletableFuture<C> fetch) {
    try {
      return fetch.get(maxWait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new CredentialUnavailableException("Timed out after " + maxWait
          + " waiting for a credential from provider '" + providerName
          + "'; the fetch is still running: check the issuer, or raise the cache's maxWait", e, true);
    } catch (ExecutionException e) {
      if (snapshot.closed) {
        throw closedFailure();
      }
      throw unavailable(e.getCause(), "the fetch failed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CredentialUnavailableException("Interrupted while waiting for a credential from provider '"
          + providerName + "'", e, true);
    }
  }

  private CredentialUnavailableException unavailable(Throwable failure, String detail) {
    boolean retryable = !(failure instanceof CredentialException credentialFailure)
        || credentialFailure.isRetryable();
    return new CredentialUnavailableException("No valid credential from provider '" + providerName
        + "': the held one is stale or missing and " + detail + " (the cause is the last failure)",
        failure, retryable);
  }

  private CredentialUnavailableException closedFailure() {
    return new CredentialUnavailableException("The credential cache of provider '" + providerName
        + "' is closed: build a new cache", null, false);
  }

  /** Runs the proactive refresh or the retry at its time; a task that runs early schedules itself again. */
  private void onScheduledRefresh() {
    long now = clock.millis();
    CacheSnapshot<C> observed = snapshot;
    if (observed.closed) {
      return;
    }
    if (observed.isBackingOff(now)) {
      rescheduleIfCurrent(observed, observed.retryAt, now);
      return;
    }
    if (observed.stateAt(now) == State.FRESH) {
      rescheduleIfCurrent(observed, observed.refreshAt, now);
      return;
    }
    joinOrStartFetch(observed);
  }

  private void rescheduleIfCurrent(CacheSnapshot<C> observed, long at, long now) {
    lock.lock();
    try {
      if (snapshot == observed) {
        scheduleRefresh(at, now);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Replaces the scheduled task with one at {@code at}; called under {@link #lock}. */
  private void scheduleRefresh(long at, long now) {
    cancelScheduledRefresh();
    if (at == Long.MAX_VALUE) {
      return;
    }
    try {
      Duration delay = Duration.ofMillis(Math.max(0, at - now));
      scheduledRefresh = scheduler.schedule(new ScheduledRefresh(this), delay);
    } catch (RuntimeException e) {
      log.warn("Cannot schedule the next refresh of provider '{}'; callers still start it when due",
          providerName, e);
    }
  }

  private void cancelScheduledRefresh() {
    if (scheduledRefresh != null) {
      scheduledRefresh.cancel(false);
      scheduledRefresh = null;
    }
  }

  private void reportServedStale(CacheSnapshot<C> observed, long now) {
    CacheSnapshot<C> reported = servedStaleReported.get();
    if (reported != observed && servedStaleReported.compareAndSet(reported, observed)) {
      publish(CredentialEvent.Type.SERVED_STALE, observed.credential, observed.lastFailure, now);
    }
  }

  private void reportExpired(CacheSnapshot<C> observed, long now) {
    if (observed.stateAt(now) != State.STALE) {
      return;
    }
    Credential reported = expiredReported.get();
    if (reported != observed.credential && expiredReported.compareAndSet(reported, observed.credential)) {
      log.warn("Credential {} of provider '{}' reached its stale time without a replacement",
          observed.credential.id(), providerName);
      publish(CredentialEvent.Type.EXPIRED, observed.credential, observed.lastFailure, now);
    }
  }

  private void publish(CredentialEvent.Type type, Credential credential, Throwable failure, long now) {
    if (listeners.isEmpty()) {
      return;
    }
    CredentialEvent event = new CredentialEvent(type, Instant.ofEpochMilli(now), providerName,
        credential == null ? null : credential.id(),
        credential == null ? null : credential.getClass().getSimpleName(),
        credential == null ? null : credential.expiresAt().orElse(null),
        type == CredentialEvent.Type.REFRESH_FAILED ? failure : null);
    for (CredentialListener listener : listeners) {
      notify(listener, event);
    }
  }

  private void notify(CredentialListener listener, CredentialEvent event) {
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      log.warn("Credential listener {} failed on event {} of provider '{}'; the cache goes on",
          listener.getClass().getName(), event.type(), providerName, Redactor.throwable(e));
    }
  }

  /**
   * The scheduled task. It references its cache weakly, so a cache that was never closed but is no
   * longer used can still be garbage collected; its last task then does nothing.
   */
  private static final class ScheduledRefresh implements Runnable {
    private final WeakReference<RefreshingCredentialCache<?>> cache;

    ScheduledRefresh(RefreshingCredentialCache<?> cache) {
      this.cache = new WeakReference<>(cache);
    }

    @Override
    public void run() {
      RefreshingCredentialCache<?> target = cache.get();
      if (target != null) {
        target.onScheduledRefresh();
      }
    }
  }
}
