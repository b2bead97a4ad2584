package dev.latchkey.benchmarks.cache;

import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.providers.StaticCredentialProvider;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import software.amazon.awssdk.utils.cache.CachedSupplier;
import software.amazon.awssdk.utils.cache.RefreshResult;

/**
 * The hit path of a credential cache: one call for a credential that is fresh, on a cache shared by
 * all benchmark threads. Latchkey's {@link CredentialCache#current()} runs side by side with AWS SDK
 * v2's {@link CachedSupplier#get()}, each holding a token that expires in 12 hours and is not due
 * for refresh. Run with {@code -t 1} and {@code -t 2}, and {@code -prof gc} for allocation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CredentialCacheBenchmark {

  private CredentialCache<AccessToken> latchkeyCache;
  private CachedSupplier<AccessToken> awsCachedSupplier;

  @Setup
  public void createCaches() {
    Instant now = InstantSource.system().instant();
    AccessToken token = AccessToken.bearer(SecretValue.of("benchmark-token"), now.plus(Duration.ofHours(12)));

    latchkeyCache = CredentialCache.builder(StaticCredentialProvider.of(token)).build();
    latchkeyCache.current();

    awsCachedSupplier = CachedSupplier.builder(() -> RefreshResult.builder(token)
            .staleTime(now.plus(Duration.ofHours(12)))
            .prefetchTime(now.plus(Duration.ofHours(11)))
            .build())
        .cachedValueName("benchmark-token")
        .build();
    awsCachedSupplier.get();
  }

  @TearDown
  public void closeCaches() {
    latchkeyCache.close();
    awsCachedSupplier.close();
  }

  @Benchmark
  public AccessToken latchkeyCurrent() {
    return latchkeyCache.current();
  }

  @Benchmark
  public AccessToken awsCachedSupplierGet() {
    return awsCachedSupplier.get();
  }
}
