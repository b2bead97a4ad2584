package dev.latchkey.credentials.internal;

import dev.latchkey.credentials.Credential;
import dev.latchkey.credentials.CredentialListener;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.RefreshScheduler;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executor;

/**
 * The checked settings of one cache, as {@code CredentialCache.Builder} validated them.
 *
 * @param provider the source of credentials
 * @param clock the source of time for every threshold
 * @param scheduler runs the proactive refresh and the retries
 * @param fetchExecutor runs {@link CredentialProvider#fetch()}
 * @param listeners receive every transition, in order
 * @param maxWait how long a caller waits for a fetch when no usable credential is held
 * @param defaultLifetime the lifetime given to a credential that should expire but has no expiry
 * @param maxAge the longest time a credential is served before a background fetch, if set
 * @param backoffBase the delay after the first failed fetch, before jitter
 * @param backoffCap the longest delay between failed fetches, before jitter
 * @param jitterSeed the seed of the cache's random jitter, or empty for an unpredictable one
 */
public record CacheOptions<C extends Credential>(
    CredentialProvider<C> provider,
    InstantSource clock,
    RefreshScheduler scheduler,
    Executor fetchExecutor,
    List<CredentialListener> listeners,
    Duration maxWait,
    Duration defaultLifetime,
    Optional<Duration> maxAge,
    Duration backoffBase,
    Duration backoffCap,
    OptionalLong jitterSeed) {

  public CacheOptions {
    listeners = List.copyOf(listeners);
  }
}
