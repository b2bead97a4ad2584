package dev.latchkey.faults;

import dev.latchkey.credentials.Credential;
import dev.latchkey.credentials.CredentialProvider;
import java.util.concurrent.atomic.LongAdder;
import okhttp3.OkHttpClient;

/**
 * Counters around a token source, so a soak can compare the faults a proxy injected with the
 * failures the credential cache audited.
 *
 * <p>OkHttp sends a request again on its own after some connection failures, such as a reset before
 * the response on a pooled connection, and then no failure reaches the cache. {@link #httpClient()}
 * counts each call (application interceptor) and each attempt (network interceptor), so {@link
 * #silentRetries()} is the number of attempts OkHttp added. {@link #counted} counts the fetches that
 * the provider started and the ones that threw.
 */
final class IssuerProbe {

  private final LongAdder calls = new LongAdder();
  private final LongAdder attempts = new LongAdder();
  private final LongAdder fetchesStarted = new LongAdder();
  private final LongAdder fetchesEnded = new LongAdder();
  private final LongAdder fetchesFailed = new LongAdder();
  private final OkHttpClient httpClient = new OkHttpClient.Builder()
      .addInterceptor(chain -> {
        calls.increment();
        return chain.proceed(chain.request());
      })
      .addNetworkInterceptor(chain -> {
        attempts.increment();
        return chain.proceed(chain.request());
      })
      .build();

  /** Returns the client to derive the token endpoint's client from. */
  OkHttpClient httpClient() {
    return httpClient;
  }

  /** Wraps {@code provider} so that its fetches are counted. */
  <C extends Credential> CredentialProvider<C> counted(CredentialProvider<C> provider) {
    return new CredentialProvider<>() {
      @Override
      public C fetch() {
        fetchesStarted.increment();
        try {
          return provider.fetch();
        } catch (RuntimeException e) {
          fetchesFailed.increment();
          throw e;
        } finally {
          fetchesEnded.increment();
        }
      }

      @Override
      public String name() {
        return provider.name();
      }
    };
  }

  long silentRetries() {
    return attempts.sum() - calls.sum();
  }

  long fetchesFailed() {
    return fetchesFailed.sum();
  }

  long fetchesStarted() {
    return fetchesStarted.sum();
  }

  /** Returns whether no fetch is running now. */
  boolean isIdle() {
    return fetchesStarted.sum() == fetchesEnded.sum();
  }

  /** Releases the client's connections and threads. */
  void close() {
    httpClient.dispatcher().executorService().shutdown();
    httpClient.connectionPool().evictAll();
  }
}
