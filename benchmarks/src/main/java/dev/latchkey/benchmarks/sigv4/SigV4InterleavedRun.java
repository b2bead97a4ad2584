package dev.latchkey.benchmarks.sigv4;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * Times the methods of {@link SigV4SigningBenchmark} interleaved in one JVM: each round runs every
 * method 20,000 times in turn, so a change in the machine's load affects all of them alike. This
 * complements the JMH run, whose benchmarks run one after another, on a shared machine whose load
 * changes between them. It prints nanoseconds per operation over 20 rounds after 10 warm-up rounds.
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
    long[] nanos = new long[methods.size()];
    for (int round = 0; round < WARM_UP_ROUNDS + MEASURED_ROUNDS; round++) {
      for (int m = 0; m < methods.size(); m++) {
        long elapsed = time(methods.get(m).call());
        if (round >= WARM_UP_ROUNDS) {
          nanos[m] += elapsed;
        }
      }
    }
    for (int m = 0; m < methods.size(); m++) {
      System.out.printf("%-16s %8.0f ns/op%n", methods.get(m).name(), nanos[m] / (double) MEASURED_ROUNDS / CALLS_PER_ROUND);
    }
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
