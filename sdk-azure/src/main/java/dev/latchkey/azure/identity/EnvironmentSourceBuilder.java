package dev.latchkey.azure.identity;

import java.util.Map;
import java.util.Objects;

/**
 * Options that the builders of providers configured by environment variables share: the variables,
 * and the scope, HTTP client and clock of {@link TokenSourceBuilder}. Only builders of this package
 * extend it. Not thread-safe.
 *
 * @param <B> the builder type that the setters return
 */
abstract class EnvironmentSourceBuilder<B extends EnvironmentSourceBuilder<B>> extends TokenSourceBuilder<B> {

  private Map<String, String> environment = System.getenv();

  EnvironmentSourceBuilder() {}

  /** Sets the environment variables to read; default {@link System#getenv()}. */
  public B environment(Map<String, String> environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
    return self();
  }

  /** Returns the variables that {@link #environment(Map)} set, or else {@link System#getenv()}. */
  final Map<String, String> environment() {
    return environment;
  }
}
