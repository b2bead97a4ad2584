package dev.latchkey.credentials.internal;

import dev.latchkey.credentials.Credential;
import java.time.Instant;

/**
 * The contents of a cache at one moment: the credential, its thresholds and the state of failed
 * fetches. Immutable, so a caller that reads the cache's snapshot once sees one consistent
 * credential and its thresholds, never parts of two fetches.
 *
 * <p>Times are epoch milliseconds of the cache's clock. A snapshot without a usable credential
 * (empty, invalidated or closed) has both thresholds at {@link Long#MIN_VALUE}, so the hit test
 * {@code now < refreshAt} fails for it without a further check.
 */
final class CacheSnapshot<C extends Credential> {

  /** The states of a cache, in the order a credential passes through them. */
  enum State {
    /** No credential was fetched yet, or the last one was invalidated. */
    EMPTY,
    /** The credential is served at once and no fetch is needed. */
    FRESH,
    /** The credential is still served at once while one fetch runs in the background. */
    REFRESH_DUE,
    /** The credential is never served: callers wait for the fetch in flight. */
    STALE,
    /** The cache was closed: every call fails. */
    CLOSED
  }

  private static final CacheSnapshot<?> EMPTY =
      new CacheSnapshot<>(null, Long.MIN_VALUE, Long.MIN_VALUE, null, null, 0, Long.MIN_VALUE, false);
  private static final CacheSnapshot<?> CLOSED =
      new CacheSnapshot<>(null, Long.MIN_VALUE, Long.MIN_VALUE, null, null, 0, Long.MIN_VALUE, true);

  final C credential;
  final long refreshAt;
  final long staleAt;
  final Instant expiresAt;
  final Throwable lastFailure;
  final int consecutiveFailures;
  final long retryAt;
  final boolean closed;

  private CacheSnapshot(
      C credential, long refreshAt, long staleAt, Instant expiresAt,
      Throwable lastFailure, int consecutiveFailures, long retryAt, boolean closed) {
    this.credential = credential;
    this.refreshAt = refreshAt;
    this.staleAt = staleAt;
    this.expiresAt = expiresAt;
    this.lastFailure = lastFailure;
    this.consecutiveFailures = consecutiveFailures;
    this.retryAt = retryAt;
    this.closed = closed;
  }

  @SuppressWarnings("unchecked")
  static <C extends Credential> CacheSnapshot<C> empty() {
    return (CacheSnapshot<C>) EMPTY;
  }

  @SuppressWarnings("unchecked")
  static <C extends Credential> CacheSnapshot<C> closed() {
    return (CacheSnapshot<C>) CLOSED;
  }

  /**
   * Returns a snapshot of a newly fetched credential.
   *
   * @param expiresAt the expiry used for the thresholds, or {@code null} for none
   */
  static <C extends Credential> CacheSnapshot<C> fetched(
      C credential, long refreshAt, long staleAt, Instant expiresAt) {
    return new CacheSnapshot<>(credential, refreshAt, staleAt, expiresAt, null, 0, Long.MIN_VALUE, false);
  }

  /** Returns this snapshot after one more failed fetch; no fetch starts before {@code retryAt}. */
  CacheSnapshot<C> withFailure(Throwable failure, long retryAt) {
    return new CacheSnapshot<>(
        credential, refreshAt, staleAt, expiresAt, failure, consecutiveFailures + 1, retryAt, closed);
  }

  /** Returns this snapshot with its credential kept for comparison but never served. */
  CacheSnapshot<C> invalidated() {
    return new CacheSnapshot<>(
        credential, Long.MIN_VALUE, Long.MIN_VALUE, expiresAt, lastFailure, consecutiveFailures, retryAt, closed);
  }

  State stateAt(long now) {
    if (closed) {
      return State.CLOSED;
    }
    if (credential == null || isInvalidated()) {
      return State.EMPTY;
    }
    if (now < refreshAt) {
      return State.FRESH;
    }
    return now < staleAt ? State.REFRESH_DUE : State.STALE;
  }

  boolean isInvalidated() {
    return credential != null && staleAt == Long.MIN_VALUE;
  }

  /** Returns whether a failed fetch forbids starting another one at {@code now}. */
  boolean isBackingOff(long now) {
    return lastFailure != null && now < retryAt;
  }
}
