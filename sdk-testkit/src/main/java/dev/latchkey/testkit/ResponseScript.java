package dev.latchkey.testkit;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;

/**
 * The injected responses that a MockWebServer dispatcher sends before its normal ones, queued per
 * request path, and a count of those sent. Thread-safe.
 *
 * <pre>{@code
 * script.inject("/token", InjectedResponse.of(Fault.status(503)), 2);
 * // in Dispatcher.dispatch:
 * return script.respond(request.getUrl().encodedPath(), normalResponse());
 * }</pre>
 */
public final class ResponseScript {

  private final Map<String, Queue<InjectedResponse>> scripts = new HashMap<>();
  private final AtomicInteger injected = new AtomicInteger();

  /** Queues {@code response} for the next {@code times} requests to {@code path}. */
  public synchronized void inject(String path, InjectedResponse response, int times) {
    Queue<InjectedResponse> script = scripts.computeIfAbsent(path, key -> new ArrayDeque<>());
    for (int i = 0; i < times; i++) {
      script.add(response);
    }
  }

  /**
   * Returns the next injected response for {@code path}, built from {@code normal}, or {@code
   * normal} itself when none is queued.
   */
  public MockResponse respond(String path, MockResponse.Builder normal) {
    InjectedResponse response = next(path);
    if (response == null) {
      return normal.build();
    }
    injected.incrementAndGet();
    return response.respond(normal);
  }

  /** Returns how many injected responses {@link #respond} has sent. */
  public int injected() {
    return injected.get();
  }

  private synchronized InjectedResponse next(String path) {
    Queue<InjectedResponse> script = scripts.get(path);
    return script == null ? null : script.poll();
  }
}
