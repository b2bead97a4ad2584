package dev.latchkey.azure.internal.identity;

import okhttp3.OkHttpClient;

/**
 * The OkHttp client that identity sources use when the caller gives none. Sources derive their own
 * settings from it with {@link OkHttpClient#newBuilder()}, so all of them share one connection pool
 * and one dispatcher.
 */
public final class HttpClients {

  private static final OkHttpClient SHARED = new OkHttpClient.Builder()
      .followRedirects(false)
      .followSslRedirects(false)
      .build();

  private HttpClients() {}

  public static OkHttpClient shared() {
    return SHARED;
  }
}
