package dev.latchkey.azure.testing;

import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.QueueDispatcher;
import mockwebserver3.RecordedRequest;

/**
 * Responds to IMDS probes (requests to the IMDS token path without {@code Metadata: true}) with the 400
 * that Azure IMDS gives them, and every other request from the queue of scripted responses.
 */
public final class ImdsDispatcher extends QueueDispatcher {

  public static final String TOKEN_PATH = "/metadata/identity/oauth2/token";

  private final AtomicInteger probes = new AtomicInteger();

  @Override
  public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
    if (isProbe(request)) {
      probes.incrementAndGet();
      return new MockResponse.Builder().code(400)
          .body("{\"error\":\"invalid_request\",\"error_description\":\"Required metadata header not specified\"}")
          .build();
    }
    return super.dispatch(request);
  }

  /** Returns how many probes it responded to. */
  public int probes() {
    return probes.get();
  }

  /** Returns whether {@code request} is an IMDS probe. */
  public static boolean isProbe(RecordedRequest request) {
    return request.getUrl().encodedPath().equals(TOKEN_PATH) && request.getHeaders().get("Metadata") == null;
  }
}
