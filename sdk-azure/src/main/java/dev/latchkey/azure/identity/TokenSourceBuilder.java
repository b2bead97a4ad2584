package dev.latchkey.azure.identity;

import dev.latchkey.azure.internal.identity.HttpClients;
import dev.latchkey.azure.internal.identity.Options;
import java.time.InstantSource;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * Options that every token provider builder of this package shares: the scope, the HTTP client and
 * the clock. Each setter checks its value at once and throws {@link NullPointerException} for null.
 *
 * <p>Only builders of this package extend it, each with its own type as {@code B}, so that every
 * setter returns that builder. Not thread-safe.
 *
 * @param <B> the builder type that the setters return
 */
abstract class TokenSourceBuilder<B extends TokenSourceBuilder<B>> {

  private String scope = AzureScopes.STORAGE;
  private OkHttpClient httpClient = HttpClients.shared();
  private InstantSource clock = InstantSource.system();

  TokenSourceBuilder() {}

  /**
   * Sets the scope to request; default {@link AzureScopes#STORAGE}.
   *
   * @throws IllegalArgumentException if it is blank
   */
  public B scope(String scope) {
    this.scope = Options.requireText("scope", scope);
    return self();
  }

  /** Sets the OkHttp client to derive the token client from; redirects are turned off on a copy. */
  public B httpClient(OkHttpClient httpClient) {
    this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
    return self();
  }

  /**
   * Sets the clock for token expiries and for the issue and expiry times of a client assertion
   * that this library signs; default {@link InstantSource#system()}.
   */
  public B clock(InstantSource clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return self();
  }

  /** Returns the scope that {@link #scope(String)} set, or else the default. */
  final String scope() {
    return scope;
  }

  /** Returns the client that {@link #httpClient(OkHttpClient)} set, or else the shared one. */
  final OkHttpClient httpClient() {
    return httpClient;
  }

  /** Returns the clock that {@link #clock(InstantSource)} set, or else the system clock. */
  final InstantSource clock() {
    return clock;
  }

  @SuppressWarnings("unchecked") // Each subclass passes its own type as B.
  final B self() {
    return (B) this;
  }
}
