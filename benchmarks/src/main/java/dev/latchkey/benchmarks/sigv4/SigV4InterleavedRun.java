package dev.latchkey.benchmarks.sigv4;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Times the methods of {@link SigV4SigningBenchmark} interleaved in one JVM: each round runs every
 * method 20,000 times in turn, so a change in the machine's load affects all of them alike. This
 * complements the JMH run, whose benchmarks run one after another, on a shared machine whose load
 * changes between them. Setup first checks that the libraries produce the same signatures.
 *
 * <p>It prints, per method, over 20 rounds after 10 warm-up rounds: the median of the rounds in
 * nanoseconds of this thread's CPU time per operation, that median divided by the floor's, and the
 * mean wall-clock time per operation. CPU time leaves out the time the thread waits for a core, so
 * on a loaded machine it varies far less than wall-clock time. Earlier runs reported the
 * wall-clock mean only.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.latchkey.benchmarks.sigv4.SigV4InterleavedRun}
 */
public final class SigV4InterleavedRun {

  private static final int CALLS_PER_ROUND = 20_000;
  private static final int WARM_UP_ROUNDS = 10;
  private static final int MEASURED_ROUNDS = 20;

  private SigV4InterleavedRun() {}

  public static void main(String[] args) throws Exception {
    SigV4SigningBenchmark benchmark = new SigV4SigningBenchmark();
    benchmark.setUp();
    List<Named> methods = List.of(
        new Named("floor", benchmark::floor),
        new Named("latchkeyHeader", benchmark::latchkeyHeader),
        new Named("awsSdkHeader", benchmark::awsSdkHeader),
        new Named("minioHeader", benchmark::minioHeader),
        new Named("latchkeyPresign", benchmark::latchkeyPresign),
        new Named("awsSdkPresign", benchmark::awsSdkPresign),
        new Named("minioPresign", benchmark::minioPresign));
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long[][] cpuNanos = new long[methods.size()][MEASURED_ROUNDS];
    long[] wallNanos = new long[methods.size()];
    for (int round = 0; round < WARM_UP_ROUNDS + MEASURED_ROUNDS; round++) {
      for (int m = 0; m < methods.size(); m++) {
        long cpuStart = threads.getCurrentThreadCpuTime();
        long wall = time(methods.get(m).call());
        long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
        if (round >= WARM_UP_ROUNDS) {
          cpuNanos[m][round - WARM_UP_ROUNDS] = cpu;
          wallNanos[m] += wall;
        }
      }
    }
    double floorMedian = medianPerCall(cpuNanos[0]);
    System.out.printf("%-16s %18s %8s %18s%n", "method", "CPU ns/op (median)", "x floor", "wall ns/op (mean)");
    for (int m = 0; m < methods.size(); m++) {
      double median = medianPerCall(cpuNanos[m]);
      double wallMean = wallNanos[m] / (double) MEASURED_ROUNDS / CALLS_PER_ROUND;
      System.out.printf("%-16s %18.0f %8.2f %18.0f%n", methods.get(m).name(), median, median / floorMedian, wallMean);
    }
  }

  private static double medianPerCall(long[] roundNanos) {
    long[] sorted = roundNanos.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    double median = sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
    return median / CALLS_PER_ROUND;
  }

  private static long time(Callable<?> call) throws Exception {
    long start = System.nanoTime();
    Object last = null;
    for (int i = 0; i < CALLS_PER_ROUND; i++) {
      last = call.call();
    }
    long elapsed = System.nanoTime() - start;
    if (last == null) {
      throw new IllegalStateException("A benchmark method returned null");
    }
    return elapsed;
  }

  private record Named(String name, Callable<?> call) {}
}
