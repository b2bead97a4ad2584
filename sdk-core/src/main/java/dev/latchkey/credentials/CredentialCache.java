package dev.latchkey.credentials;

import dev.latchkey.credentials.internal.CacheOptions;
import dev.latchkey.credentials.internal.RefreshingCredentialCache;
import dev.latchkey.credentials.internal.SharedRefreshThreads;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executor;

/**
 * Keeps a short-lived credential from one {@link CredentialProvider} valid for every caller of a
 * process, refreshing it before it expires.
 *
 * <p>A cache is also a {@link CredentialProvider} whose {@link #fetch()} returns {@link #current()},
 * so a cache can feed a provider that needs another credential (AWS STS AssumeRole, OAuth 2.0 token
 * exchange) without asking the first issuer on every call.
 *
 * <h2>States</h2>
 *
 * From the lifetime {@code L} of a credential (from the end of its fetch to its expiry {@code E}):
 *
 * <ul>
 *   <li><b>Fresh</b> until the refresh time {@code E - min(5 min, L/2)}, minus a random jitter of up
 *       to a fifth of that window. {@link #current()} returns the credential without locking or
 *       allocating. If the issuer named a refresh time ({@link Credential#refreshAt()}) before the
 *       stale time, that time is used instead.
 *   <li><b>Refresh due</b> until the stale time {@code E - min(1 min, L/10)}: callers get the
 *       credential at once while one fetch runs in the background.
 *   <li><b>Stale</b> from then on: the credential is never served. Callers wait, at most {@link
 *       Builder#maxWait(Duration) maxWait}, for the one fetch in flight.
 * </ul>
 *
 * <p>A failed fetch is retried after an exponential backoff with jitter ({@link
 * Builder#backoff(Duration, Duration)}). While the held credential is not stale, callers keep
 * getting it and listeners see {@link CredentialEvent.Type#REFRESH_FAILED} and {@link
 * CredentialEvent.Type#SERVED_STALE}. Once it is stale, callers get a {@link
 * CredentialUnavailableException} whose cause is the last failure, at once and without starting a
 * fetch, until the backoff ends.
 *
 * <p>A credential that the provider returns already expired is a failed fetch. Access tokens, SAS
 * tokens and AWS credentials with a session token that come without an expiry get the {@link
 * Builder#defaultLifetime(Duration) default lifetime}. Credentials of kinds that do not expire (AWS
 * keys without a session token, shared keys, API keys without an expiry) are valid until {@link
 * #invalidate(Credential)} is called. With {@link Builder#maxAge(Duration) maxAge} set, every
 * credential is also fetched again in the background once it is that old.
 *
 * <p>Implementations are thread-safe.
 *
 * @param <C> the type of credential
 */
public interface CredentialCache<C extends Credential> extends CredentialProvider<C>, AutoCloseable {

  /** Starts a builder for a cache around {@code provider}. */
  static <C extends Credential> Builder<C> builder(CredentialProvider<C> provider) {
    return new Builder<>(provider);
  }

  /**
   * Returns a credential that is valid now.
   *
   * @throws CredentialUnavailableException if no valid credential can be obtained in time, or the
   *     cache is closed
   */
  C current();

  /**
   * Reports that a server rejected {@code credential} as expired or revoked. If it is still the
   * current credential, the next call to {@link #current()} waits for a new one; if it has already
   * been replaced, nothing happens.
   */
  void invalidate(C credential);

  /** Releases the cache's scheduled tasks. Later calls to {@link #current()} fail. */
  @Override
  void close();

  @Override
  default C fetch() {
    return current();
  }

  /**
   * Builder for {@link CredentialCache}. Each setter rejects a bad value at once with an {@link
   * IllegalArgumentException}. Not thread-safe.
   */
  final class Builder<C extends Credential> {

    /** The default of {@link #maxWait(Duration)}: 10 seconds. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(10);

    /** The default of {@link #defaultLifetime(Duration)}: 15 minutes. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(15);

    /** The default first delay of {@link #backoff(Duration, Duration)}: 1 second. */
    public static final Duration DEFAULT_BACKOFF_BASE = Duration.ofSeconds(1);

    /** The default longest delay of {@link #backoff(Duration, Duration)}: 1 minute. */
    public static final Duration DEFAULT_BACKOFF_CAP = Duration.ofMinutes(1);

    /** The longest {@link #maxWait}, {@link #defaultLifetime} or backoff cap accepted: 1 day. */
    public static final Duration MAX_DURATION = Duration.ofDays(1);

    private final CredentialProvider<C> provider;
    private InstantSource clock = InstantSource.system();
    private RefreshScheduler scheduler;
    private Executor fetchExecutor;
    private final List<CredentialListener> listeners = new ArrayList<>();
    private Duration maxWait = DEFAULT_MAX_WAIT;
    private Duration defaultLifetime = DEFAULT_LIFETIME;
    private Duration backoffBase = DEFAULT_BACKOFF_BASE;
    private Duration backoffCap = DEFAULT_BACKOFF_CAP;
    private OptionalLong jitterSeed = OptionalLong.empty();
    private Duration maxAge;

    private Builder(CredentialProvider<C> provider) {
      this.provider = Objects.requireNonNull(provider, "provider");
    }

    /** Sets the source of time for every threshold; {@link InstantSource#system()} by default. */
    public Builder<C> clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the scheduler of the proactive refresh and of retries; {@link RefreshScheduler#shared()}
     * by default. Tests pass one that runs the tasks when the test chooses.
     */
    public Builder<C> scheduler(RefreshScheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Sets the executor that runs {@link CredentialProvider#fetch()}; by default a pool of at most 4
     * daemon threads shared by all caches. A direct executor ({@code Runnable::run}) runs the fetch
     * on the caller that starts it, which then waits for it even while the held credential is
     * still usable.
     */
    public Builder<C> fetchExecutor(Executor fetchExecutor) {
      this.fetchExecutor = Objects.requireNonNull(fetchExecutor, "fetchExecutor");
      return this;
    }

    /** Adds a listener for every transition; listeners run in the order they were added. */
    public Builder<C> listener(CredentialListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Sets how long a caller waits for a fetch when no usable credential is held; 10 seconds by
     * default. A caller that waits longer gets a {@link CredentialUnavailableException}, and the
     * fetch goes on for later callers.
     *
     * @throws IllegalArgumentException if it is shorter than 1 millisecond or longer than 1 day
     */
    public Builder<C> maxWait(Duration maxWait) {
      this.maxWait = checkDuration("maxWait", maxWait);
      return this;
    }

    /**
     * Sets the lifetime, from the end of the fetch, of an access token, SAS token or temporary AWS
     * credential that came without an expiry; 15 minutes by default.
     *
     * @throws IllegalArgumentException if it is shorter than 1 millisecond or longer than 1 day
     */
    public Builder<C> defaultLifetime(Duration defaultLifetime) {
      this.defaultLifetime = checkDuration("defaultLifetime", defaultLifetime);
      return this;
    }

    /**
     * Sets the backoff after failed fetches: the n-th consecutive failure waits {@code
     * min(cap, base * 2^(n-1))}, of which a random share between half and all is used. 1 second and 1 minute by
     * default. When the failure names a delay ({@link CredentialException#retryAfter()}, such as HTTP
     * {@code Retry-After}), the wait is at least that delay, but never longer than {@code cap}.
     *
     * @throws IllegalArgumentException if either is shorter than 1 millisecond or longer than 1 day,
     *     or {@code cap} is shorter than {@code base}
     */
    public Builder<C> backoff(Duration base, Duration cap) {
      checkDuration("backoff base", base);
      checkDuration("backoff cap", cap);
      if (cap.compareTo(base) < 0) {
        throw new IllegalArgumentException(
            "Invalid backoff cap " + cap + ": it is shorter than the base " + base + "; use a cap of at least the base");
      }
      this.backoffBase = base;
      this.backoffCap = cap;
      return this;
    }

    /**
     * Sets the longest time a credential is served before the provider is asked again in the
     * background, whatever its expiry; none by default. Use it for providers whose credentials
     * change without expiring, such as a file of static keys that a secret manager rotates.
     *
     * @throws IllegalArgumentException if it is shorter than 1 millisecond or longer than 1 day
     */
    public Builder<C> maxAge(Duration maxAge) {
      this.maxAge = checkDuration("maxAge", maxAge);
      return this;
    }

    /**
     * Sets the seed of the random jitter of refresh times and backoff delays, so a test sees the same
     * times on every run. By default each cache draws an unpredictable seed, so caches built at the
     * same instant refresh at different instants.
     */
    public Builder<C> jitterSeed(long seed) {
      this.jitterSeed = OptionalLong.of(seed);
      return this;
    }

    /** Builds the cache. Nothing is fetched until the first call to {@link CredentialCache#current()}. */
    public CredentialCache<C> build() {
      RefreshScheduler chosenScheduler = scheduler != null ? scheduler : RefreshScheduler.shared();
      Executor chosenExecutor = fetchExecutor != null ? fetchExecutor : SharedRefreshThreads.fetchExecutor();
      return new RefreshingCredentialCache<>(new CacheOptions<>(provider, clock, chosenScheduler,
          chosenExecutor, listeners, maxWait, defaultLifetime, Optional.ofNullable(maxAge), backoffBase,
          backoffCap, jitterSeed));
    }

    private static Duration checkDuration(String option, Duration value) {
      Objects.requireNonNull(value, option);
      if (value.compareTo(Duration.ofMillis(1)) < 0 || value.compareTo(MAX_DURATION) > 0) {
        throw new IllegalArgumentException(
            "Invalid " + option + " " + value + ": use 1 millisecond to 1 day (PT0.001S to PT24H)");
      }
      return value;
    }
  }
}
