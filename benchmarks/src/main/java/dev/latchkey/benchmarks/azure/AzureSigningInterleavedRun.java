package dev.latchkey.benchmarks.azure;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Times the methods of {@link AzureSigningBenchmark} interleaved in one JVM: each round runs every
 * method 20,000 times in turn, so a change in the machine's load affects all of them alike. This
 * complements the JMH run, whose benchmarks run one after another, on a shared machine whose load
 * changes between them. Over 20 rounds after 10 warm-up rounds, it prints the nanoseconds per
 * operation in wall-clock time and in this thread's CPU time, and the bytes allocated per operation.
 * Then it prints the CPU-time ratio of each Latchkey method to its floor and to the Azure SDK, and
 * of SAS signing with a grant built once to the SAS floor.
 *
 * <p>CPU time counts only the time the thread ran, so it stays steady when other processes take the
 * cores; wall-clock time is printed beside it to show how far the two differ.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.latchkey.benchmarks.azure.AzureSigningInterleavedRun}
 */
public final class AzureSigningInterleavedRun {

  private static final int CALLS_PER_ROUND = 20_000;
  private static final int WARM_UP_ROUNDS = 10;
  private static final int MEASURED_ROUNDS = 20;
  private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

  private AzureSigningInterleavedRun() {}

  public static void main(String[] args) throws Exception {
    AzureSigningBenchmark benchmark = new AzureSigningBenchmark();
    benchmark.setUp();

    List<Named> methods = List.of(
        new Named("sharedKeyFloor", benchmark::sharedKeyFloor),
        new Named("sharedKeyLatchkey", benchmark::sharedKeyLatchkey),
        new Named("sharedKeyAzureSdk", benchmark::sharedKeyAzureSdk),
        new Named("sasFloor", benchmark::sasFloor),
        new Named("sasLatchkey", benchmark::sasLatchkey),
        new Named("sasAzureSdk", benchmark::sasAzureSdk),
        new Named("sasLatchkeyPrebuilt", benchmark::sasLatchkeyPrebuilt));

    long[][] totals = new long[methods.size()][];
    for (int m = 0; m < methods.size(); m++) {
      totals[m] = new long[3];
    }
    for (int round = 0; round < WARM_UP_ROUNDS + MEASURED_ROUNDS; round++) {
      for (int m = 0; m < methods.size(); m++) {
        long[] measured = measure(methods.get(m).call());
        if (round >= WARM_UP_ROUNDS) {
          for (int i = 0; i < measured.length; i++) {
            totals[m][i] += measured[i];
          }
        }
      }
    }

    double calls = (double) MEASURED_ROUNDS * CALLS_PER_ROUND;
    double[] perCall = new double[methods.size()];
    System.out.printf("%-20s %12s %12s %10s%n", "method", "wall ns/op", "CPU ns/op", "B/op");
    for (int m = 0; m < methods.size(); m++) {
      perCall[m] = totals[m][1] / calls;
      System.out.printf("%-20s %12.0f %12.0f %10.0f%n", methods.get(m).name(), totals[m][0] / calls, perCall[m],
          totals[m][2] / calls);
    }

    System.out.printf("CPU time ratios:%n");
    System.out.printf("Shared Key: %.2fx the floor, Azure SDK %.2fx Latchkey%n",
        perCall[1] / perCall[0], perCall[2] / perCall[1]);
    System.out.printf("SAS:        %.2fx the floor, Azure SDK %.2fx Latchkey%n",
        perCall[4] / perCall[3], perCall[5] / perCall[4]);
    System.out.printf("SAS, built once: %.2fx the floor%n", perCall[6] / perCall[3]);
  }

  /** Runs one round of {@code call} and returns its wall-clock nanoseconds, CPU nanoseconds and bytes allocated. */
  private static long[] measure(Callable<?> call) throws Exception {
    long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
    long cpuBefore = THREADS.getCurrentThreadCpuTime();
    long wallBefore = System.nanoTime();
    Object last = null;
    for (int i = 0; i < CALLS_PER_ROUND; i++) {
      last = call.call();
    }
    long wall = System.nanoTime() - wallBefore;
    long cpu = THREADS.getCurrentThreadCpuTime() - cpuBefore;
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;
    if (last == null) {
      throw new IllegalStateException("A benchmark method returned null");
    }
    return new long[] {wall, cpu, allocated};
  }

  private record Named(String name, Callable<?> call) {}
}
