package dev.latchkey.azure.internal.identity;

import okhttp3.Interceptor;
import okhttp3.Request;

/**
 * Records whether a call got as far as an open connection. No connection at all means that the
 * endpoint does not exist on this host, while a failure after connecting is an error of an endpoint
 * that exists.
 *
 * <p>Attach a new probe to each request as its tag, and install {@link #INTERCEPTOR} as a network
 * interceptor, which OkHttp runs only once a connection is open.
 */
public final class ConnectionProbe {

  /** Marks the request's probe as connected; install with {@code addNetworkInterceptor}. */
  public static final Interceptor INTERCEPTOR = chain -> {
    ConnectionProbe probe = chain.request().tag(ConnectionProbe.class);
    if (probe != null) {
      probe.connected = true;
    }
    return chain.proceed(chain.request());
  };

  private volatile boolean connected;

  /** Returns {@code request} with this probe attached. */
  public Request attachTo(Request request) {
    return request.newBuilder().tag(ConnectionProbe.class, this).build();
  }

  /** Returns whether a connection to the server was open at some point of the call. */
  public boolean connected() {
    return connected;
  }
}
