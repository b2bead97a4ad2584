package dev.latchkey.credentials;

/**
 * Receives every transition of a {@link CredentialCache}.
 *
 * <p>The cache calls listeners synchronously on the thread that caused the transition, so a listener
 * must be quick and must not call back into the same cache. A listener that throws is logged and
 * does not change the cache's behaviour.
 */
@FunctionalInterface
public interface CredentialListener {

  void onEvent(CredentialEvent event);

  /** A listener that ignores every event. */
  CredentialListener NONE = event -> { };
}
