package dev.latchkey.examples;

import dev.latchkey.policy.AccessDeniedException;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.storage.StorageClient;
import dev.latchkey.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The work of {@code report-exporter} for the length of the demo: every second it uploads a report
 * under {@code exports/}, lists them, downloads the new one and checks its bytes. Halfway through it
 * tries a write that its own policy denies, and a read that a client with a wider policy sends but
 * the narrowed credential does not cover, which the server refuses.
 */
final class DemoWorkload {

  static final String CONTAINER = "reports";
  static final String FORBIDDEN_KEY = "finance/salaries.csv";
  private static final long PACE_MILLIS = 1000;

  private final String backendName;
  private final StorageClient storage;
  private final StorageClient unrestricted;
  private final Duration duration;
  private final ObjectRef forbiddenWrite;
  private final ObjectRef forbiddenRead;
  private int mismatches;

  /**
   * Creates the workload.
   *
   * @param forbiddenWrite an object the workload's own policy does not let it write
   * @param forbiddenRead an object {@code unrestricted} may read by policy but the credential does not cover
   */
  DemoWorkload(String backendName, StorageClient storage, StorageClient unrestricted, Duration duration,
      ObjectRef forbiddenWrite, ObjectRef forbiddenRead) {
    this.backendName = backendName;
    this.storage = storage;
    this.unrestricted = unrestricted;
    this.duration = duration;
    this.forbiddenWrite = forbiddenWrite;
    this.forbiddenRead = forbiddenRead;
  }

  /** Runs the loop; returns the number of downloads whose bytes differed from the upload. */
  int run(DemoStats stats) throws InterruptedException {
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    boolean deniedYet = false;
    for (int round = 1; System.nanoTime() < end; round++) {
      long roundStart = System.nanoTime();
      exchangeOneReport(round);
      if (!deniedYet && System.nanoTime() - start > duration.toNanos() / 2) {
        tryForbiddenWrite();
        tryForbiddenRead();
        deniedYet = true;
      }
      long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - roundStart);
      TimeUnit.MILLISECONDS.sleep(Math.max(0, PACE_MILLIS - elapsedMillis));
    }
    if (!deniedYet) {
      tryForbiddenWrite();
      tryForbiddenRead();
    }
    return mismatches;
  }

  private void exchangeOneReport(int round) {
    ObjectRef report = ObjectRef.of(CONTAINER, "exports/2026/report-" + round + ".csv");
    byte[] content = ("round,rows\n" + round + "," + (round * 17) + "\n").getBytes(StandardCharsets.UTF_8);
    storage.put(report, content, "text/csv");
    List<String> keys = storage.list(CONTAINER, "exports/2026/").map(object -> object.key()).toList();
    byte[] downloaded = storage.getBytes(report);
    if (!Arrays.equals(content, downloaded) || !keys.contains(report.key())) {
      mismatches++;
      System.out.printf("[%s] round %d: download or listing does not match the upload%n", backendName, round);
    }
  }

  private void tryForbiddenWrite() {
    try {
      storage.put(forbiddenWrite, "x".getBytes(StandardCharsets.UTF_8), "text/csv");
      System.out.printf("[%s] UNEXPECTED: the write to %s was allowed%n", backendName, forbiddenWrite);
    } catch (AccessDeniedException e) {
      System.out.printf("[%s] denied by the client-side policy: %s%n", backendName, e.getMessage());
    }
  }

  private void tryForbiddenRead() {
    try {
      unrestricted.getBytes(forbiddenRead);
      System.out.printf("[%s] UNEXPECTED: the server allowed a read outside the narrowed credential%n", backendName);
    } catch (StorageException e) {
      System.out.printf("[%s] denied by the server: HTTP %d %s%n", backendName, e.statusCode(), e.errorCode());
    }
  }
}
