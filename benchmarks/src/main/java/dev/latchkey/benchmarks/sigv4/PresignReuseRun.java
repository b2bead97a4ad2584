package dev.latchkey.benchmarks.sigv4;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.s3.SigV4Signer;
import dev.latchkey.signing.SignableRequest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Times Latchkey's presigning of the {@link SigV4SigningBenchmark} request in the three cases of
 * the per-thread reuse of the SigV4 query, interleaved in one JVM like {@link SigV4InterleavedRun}:
 *
 * <ul>
 *   <li>{@code sameSecond}: every URL at the same signing time, as in {@link SigV4SigningBenchmark};
 *   <li>{@code newSecond}: each URL one second after the previous one, so the reused query gets a
 *       new {@code X-Amz-Date};
 *   <li>{@code alternatingExpiry}: expiries of 3,600 and 3,601 seconds in turn, so the query is never
 *       reused and is kept again after every URL.
 * </ul>
 *
 * <p>It prints the median over 30 rounds (after 15 warm-up rounds) of this thread's CPU time per
 * call.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.latchkey.benchmarks.sigv4.PresignReuseRun}
 */
public final class PresignReuseRun {

  private static final int CALLS_PER_ROUND = 20_000;
  private static final int WARM_UP_ROUNDS = 15;
  private static final int MEASURED_ROUNDS = 30;
  private static final Instant TIME = Instant.parse("2026-03-01T10:00:00Z");

  private PresignReuseRun() {}

  public static void main(String[] args) {
    SigV4Signer signer = SigV4Signer.forS3("us-east-1");
    AwsCredentials credentials =
        AwsCredentials.of("AKIAIOSFODNN7EXAMPLE", SecretValue.of("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
    SignableRequest request = SignableRequest.builder("GET",
        URI.create("https://examplebucket.s3.us-east-1.amazonaws.com/reports/2026/q1-summary.csv")).build();
    // One hour of signing times, built up front so that the loop does not time Instant arithmetic.
    Instant[] times = new Instant[3_600];
    for (int i = 0; i < times.length; i++) {
      times[i] = TIME.plusSeconds(i);
    }
    Duration hour = Duration.ofSeconds(3_600);
    Duration hourAndSecond = Duration.ofSeconds(3_601);

    String[] names = {"sameSecond", "newSecond", "alternatingExpiry"};
    IntFunction<?>[] cases = {
        i -> signer.presign(request, credentials, TIME, hour),
        i -> signer.presign(request, credentials, times[i % times.length], hour),
        i -> signer.presign(request, credentials, TIME, (i & 1) == 0 ? hour : hourAndSecond)};
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long[][] cpuNanos = new long[cases.length][MEASURED_ROUNDS];
    for (int round = 0; round < WARM_UP_ROUNDS + MEASURED_ROUNDS; round++) {
      for (int c = 0; c < cases.length; c++) {
        long start = threads.getCurrentThreadCpuTime();
        Object last = null;
        for (int i = 0; i < CALLS_PER_ROUND; i++) {
          last = cases[c].apply(i);
        }
        long cpu = threads.getCurrentThreadCpuTime() - start;
        if (last == null) {
          throw new IllegalStateException("Presigning returned null");
        }
        if (round >= WARM_UP_ROUNDS) {
          cpuNanos[c][round - WARM_UP_ROUNDS] = cpu;
        }
      }
    }
    System.out.printf("%-18s %18s%n", "case", "CPU ns/op (median)");
    for (int c = 0; c < cases.length; c++) {
      long[] sorted = cpuNanos[c].clone();
      Arrays.sort(sorted);
      double median = (sorted[MEASURED_ROUNDS / 2 - 1] + sorted[MEASURED_ROUNDS / 2]) / 2.0 / CALLS_PER_ROUND;
      System.out.printf("%-18s %18.0f%n", names[c], median);
    }
  }
}
