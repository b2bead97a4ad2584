package dev.latchkey.benchmarks.client;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * Times the storage client and the bare OkHttp call alternately in one JVM, so a change in the
 * machine's load affects both alike. The settings run one after the other: against a canned response
 * without a network ({@link StorageGetOverheadBenchmark}), which isolates the client-side work, and
 * against S3Proxy on loopback ({@link StorageGetBenchmark}). The canned setting runs twice: reading
 * one object, and reading another of 16 objects on each call, which builds and signs every request.
 *
 * <p>The canned setting runs first because it also warms up the client's code: 600,000 calls take
 * seconds there. On a loaded 2-core machine the client's path was still being compiled after
 * 20,000 loopback calls, and its overhead fell by two thirds between 5,000 and 30,000 calls.
 *
 * <p>The last setting runs the canned response again, but makes a bare call to S3Proxy before each
 * call of either method. Its difference shows what the client-side work costs once S3Proxy's
 * request handling, on the same cores, has pushed the client's code and data out of the caches.
 *
 * <p>Each round runs a batch of calls of each method in turn and records the mean wall-clock time
 * and the mean CPU time of the calling thread per call. The calling thread's CPU time leaves out the
 * server's threads and the time spent waiting for a core. After the warm-up rounds it prints the
 * median of each and the median of the per-round differences (client minus bare).
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.latchkey.benchmarks.client.StorageGetInterleavedRun}
 */
public final class StorageGetInterleavedRun {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private StorageGetInterleavedRun() {}

  public static void main(String[] args) throws Exception {
    StorageGetOverheadBenchmark canned = new StorageGetOverheadBenchmark();
    canned.start();
    try {
      run("canned response", canned::latchkeyStorageClient, canned::bareOkHttpPrecomputedSignature,
          new Rounds(10, 20, 20_000));
      run("canned response, another key on each call", canned::latchkeyStorageClientOtherKeys,
          canned::bareOkHttpPrecomputedSignature, new Rounds(10, 20, 20_000));
      StorageGetBenchmark loopback = new StorageGetBenchmark();
      loopback.start();
      try {
        run("S3Proxy on loopback", loopback::latchkeyStorageClient, loopback::bareOkHttpPrecomputedSignature,
            new Rounds(10, 20, 1_000));
        run("canned response after a bare loopback call",
            () -> afterLoopbackCall(loopback, canned::latchkeyStorageClient),
            () -> afterLoopbackCall(loopback, canned::bareOkHttpPrecomputedSignature), new Rounds(10, 20, 1_000));
      } finally {
        loopback.stop();
      }
    } finally {
      canned.stop();
    }
  }

  /**
   * Makes a bare call to S3Proxy and then {@code call}. Both methods pay for the same loopback call,
   * so their difference is the canned difference measured with the caches as a network call leaves
   * them.
   */
  private static byte[] afterLoopbackCall(StorageGetBenchmark loopback, Call call) throws Exception {
    if (loopback.bareOkHttpPrecomputedSignature().length != 1024) {
      throw new IllegalStateException("A bare get returned other than the 1 KiB object");
    }
    return call.run();
  }

  private static void run(String setting, Call client, Call bare, Rounds rounds) throws Exception {
    int measured = rounds.measured();
    double[][] samples = new double[6][measured];
    for (int round = 0; round < rounds.warmUp() + measured; round++) {
      Sample clientSample = time(client, rounds.calls());
      Sample bareSample = time(bare, rounds.calls());
      System.out.printf("%s round %d: latchkeyStorageClient %.2f µs (CPU %.2f µs),"
              + " bareOkHttpPrecomputedSignature %.2f µs (CPU %.2f µs)%n", setting, round + 1,
          clientSample.wallMicros(), clientSample.cpuMicros(), bareSample.wallMicros(), bareSample.cpuMicros());
      int index = round - rounds.warmUp();
      if (index >= 0) {
        samples[0][index] = clientSample.wallMicros();
        samples[1][index] = bareSample.wallMicros();
        samples[2][index] = clientSample.wallMicros() - bareSample.wallMicros();
        samples[3][index] = clientSample.cpuMicros();
        samples[4][index] = bareSample.cpuMicros();
        samples[5][index] = clientSample.cpuMicros() - bareSample.cpuMicros();
      }
    }
    System.out.printf("%s, median of %d rounds of %,d calls: wall-clock latchkeyStorageClient %.2f µs,"
            + " bareOkHttpPrecomputedSignature %.2f µs, difference %.2f µs;"
            + " calling thread's CPU %.2f µs, %.2f µs, difference %.2f µs%n", setting, measured, rounds.calls(),
        median(samples[0]), median(samples[1]), median(samples[2]), median(samples[3]), median(samples[4]),
        median(samples[5]));
  }

  /** Runs {@code calls} calls and returns the mean wall-clock and calling-thread CPU time of one. */
  private static Sample time(Call call, int calls) throws Exception {
    long cpuStart = THREADS.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      if (call.run().length != 1024) {
        throw new IllegalStateException("A get returned other than the 1 KiB object");
      }
    }
    long wall = System.nanoTime() - start;
    long cpu = THREADS.getCurrentThreadCpuTime() - cpuStart;
    return new Sample(wall / 1000.0 / calls, cpu / 1000.0 / calls);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  private record Rounds(int warmUp, int measured, int calls) {}

  private record Sample(double wallMicros, double cpuMicros) {}

  @FunctionalInterface
  private interface Call {
    byte[] run() throws Exception;
  }
}
