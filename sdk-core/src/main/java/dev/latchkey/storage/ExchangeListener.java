package dev.latchkey.storage;

/**
 * Receives each HTTP exchange a {@link StorageBackend} makes. Called on the calling thread; must be
 * quick and must not throw.
 */
@FunctionalInterface
public interface ExchangeListener {

  void onExchange(Exchange exchange);

  /**
   * A listener that ignores every exchange. A backend may check for this instance and then build no
   * {@link Exchange} at all.
   */
  ExchangeListener NONE = exchange -> { };
}
