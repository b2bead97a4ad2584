package dev.latchkey.benchmarks.client;

/**
 * Times the storage client and the bare OkHttp call of {@link StorageGetBenchmark} alternately in one
 * JVM, 1,000 calls each per round, so a change in the machine's load affects both alike. Prints
 * the mean time per call of each round.
 */
public final class StorageGetInterleavedRun {

  private static final int ROUNDS = 8;
  private static final int CALLS = 1000;

  private StorageGetInterleavedRun() {}

  public static void main(String[] args) throws Exception {
    StorageGetBenchmark benchmark = new StorageGetBenchmark();
    benchmark.start();
    try {
      for (int round = 1; round <= ROUNDS; round++) {
        long latchkey = timeCalls(benchmark::latchkeyStorageClient);
        long bare = timeCalls(benchmark::bareOkHttpPrecomputedSignature);
        System.out.printf("round %d: latchkeyStorageClient %d µs, bareOkHttpPrecomputedSignature %d µs%n",
            round, latchkey, bare);
      }
    } finally {
      benchmark.stop();
    }
  }

  /** Returns the mean time of one call in microseconds. */
  private static long timeCalls(Call call) throws Exception {
    long start = System.nanoTime();
    for (int i = 0; i < CALLS; i++) {
      call.run();
    }
    return (System.nanoTime() - start) / CALLS / 1000;
  }

  @FunctionalInterface
  private interface Call {
    Object run() throws Exception;
  }
}
