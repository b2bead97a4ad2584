package dev.latchkey.credentials.internal;

import dev.latchkey.credentials.RefreshScheduler;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that all credential caches of a process share: one scheduler thread for delayed
 * tasks and a bounded pool that runs fetches.
 *
 * <p>Both are created on first use, use daemon threads so they never keep the JVM alive, and let
 * idle threads end after {@link #IDLE_TIMEOUT_SECONDS}. However many caches exist, at most {@code 1
 * + }{@link #MAX_FETCH_THREADS} threads run.
 *
 * <p><b>Note:</b> a fetch that never returns occupies a pool thread for good, so providers must set
 * timeouts on their I/O (OkHttp clients do by default).
 */
public final class SharedRefreshThreads {

  /** The number of fetches that run at once across all caches; later fetches queue. */
  public static final int MAX_FETCH_THREADS = 4;

  /** The time, in seconds, after which an idle shared thread ends. */
  public static final long IDLE_TIMEOUT_SECONDS = 30;

  private SharedRefreshThreads() {}

  /** Returns the shared scheduler. */
  public static RefreshScheduler scheduler() {
    return Holder.SCHEDULER;
  }

  /** Returns the shared pool that runs fetches. */
  public static Executor fetchExecutor() {
    return Holder.FETCH_POOL;
  }

  /** Returns the number of tasks waiting in the shared scheduler; cancelled tasks are removed. */
  static int pendingScheduledTasks() {
    return Holder.SCHEDULED_POOL.getQueue().size();
  }

  /** Lazy holder, so a process that builds no cache starts no thread. */
  private static final class Holder {
    static final ScheduledThreadPoolExecutor SCHEDULED_POOL = newScheduledPool();
    static final RefreshScheduler SCHEDULER = (task, delay) ->
        SCHEDULED_POOL.schedule(task, clampedMillis(delay), TimeUnit.MILLISECONDS);
    static final ThreadPoolExecutor FETCH_POOL = newFetchPool();
  }

  private static ScheduledThreadPoolExecutor newScheduledPool() {
    ScheduledThreadPoolExecutor pool =
        new ScheduledThreadPoolExecutor(1, daemonThreads("latchkey-credential-scheduler"));
    pool.setRemoveOnCancelPolicy(true);
    pool.setKeepAliveTime(IDLE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  private static ThreadPoolExecutor newFetchPool() {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(
        MAX_FETCH_THREADS, MAX_FETCH_THREADS, IDLE_TIMEOUT_SECONDS, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), daemonThreads("latchkey-credential-fetch"));
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  private static long clampedMillis(Duration delay) {
    try {
      return Math.max(0, delay.toMillis());
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
