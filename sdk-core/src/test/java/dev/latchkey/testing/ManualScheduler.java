package dev.latchkey.testing;

import dev.latchkey.credentials.RefreshScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * A {@link RefreshScheduler} that only records tasks, each with its due time on a {@link FakeClock};
 * the test runs them with {@link #runDue()}. Thread-safe.
 */
public final class ManualScheduler implements RefreshScheduler {

  /** One recorded task. */
  public record Task(Instant dueAt, Duration delay, FutureTask<Void> future) {}

  private final FakeClock clock;
  private final List<Task> tasks = new ArrayList<>();

  public ManualScheduler(FakeClock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Future<?> schedule(Runnable task, Duration delay) {
    FutureTask<Void> future = new FutureTask<>(task, null);
    tasks.add(new Task(clock.instant().plus(delay), delay, future));
    return future;
  }

  /** Returns the tasks that were neither run nor cancelled, earliest first. */
  public synchronized List<Task> pending() {
    return tasks.stream()
        .filter(task -> !task.future().isDone())
        .sorted(Comparator.comparing(Task::dueAt))
        .toList();
  }

  /** Returns every task ever scheduled, in order. */
  public synchronized List<Task> all() {
    return List.copyOf(tasks);
  }

  /** Returns the due time of the earliest pending task. */
  public Instant nextDueAt() {
    List<Task> pending = pending();
    if (pending.isEmpty()) {
      throw new IllegalStateException("No task is pending");
    }
    return pending.get(0).dueAt();
  }

  /** Runs, on the calling thread, every pending task due at or before the clock's time; returns how many ran. */
  public int runDue() {
    int ran = 0;
    for (Task task : pending()) {
      if (!task.dueAt().isAfter(clock.instant())) {
        task.future().run();
        ran++;
      }
    }
    return ran;
  }
}
