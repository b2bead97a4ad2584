package dev.latchkey.testing;

import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.SecretValue;
import java.time.Duration;
import java.time.InstantSource;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A provider of bearer tokens named {@code token-1}, {@code token-2}, ... that expire a fixed
 * lifetime after the fetch. A test can queue failures or hooks that run inside the next fetches.
 * Thread-safe.
 */
public final class CountingTokenProvider implements CredentialProvider<AccessToken> {

  private final InstantSource clock;
  private final Duration lifetime;
  private final AtomicInteger fetches = new AtomicInteger();
  private final Deque<Supplier<RuntimeException>> scriptedFailures = new ArrayDeque<>();
  private final Deque<Runnable> hooks = new ArrayDeque<>();
  private final Map<String, Instant> expiryByToken = new ConcurrentHashMap<>();

  public CountingTokenProvider(InstantSource clock, Duration lifetime) {
    this.clock = clock;
    this.lifetime = lifetime;
  }

  @Override
  public AccessToken fetch() {
    int number = fetches.incrementAndGet();
    Runnable hook = nextHook();
    if (hook != null) {
      hook.run();
    }
    Supplier<RuntimeException> failure = nextFailure();
    if (failure != null) {
      throw failure.get();
    }
    String token = "token-" + number;
    Instant expiresAt = clock.instant().plus(lifetime);
    expiryByToken.put(token, expiresAt);
    return AccessToken.bearer(SecretValue.of(token), expiresAt);
  }

  @Override
  public String name() {
    return "counting";
  }

  /** Returns the number of calls to {@link #fetch()}, failed ones included. */
  public int fetches() {
    return fetches.get();
  }

  /** Returns the expiry this provider gave the token {@code token}, or {@code null} if it issued no such token. */
  public Instant expiryOf(String token) {
    return expiryByToken.get(token);
  }

  /** Makes the next fetch that has no failure queued before it throw what {@code failure} returns. */
  public synchronized void failNext(Supplier<RuntimeException> failure) {
    scriptedFailures.add(failure);
  }

  /** Makes the next fetch that has no hook queued before it run {@code hook} first. */
  public synchronized void beforeNext(Runnable hook) {
    hooks.add(hook);
  }

  private synchronized Supplier<RuntimeException> nextFailure() {
    return scriptedFailures.poll();
  }

  private synchronized Runnable nextHook() {
    return hooks.poll();
  }
}
