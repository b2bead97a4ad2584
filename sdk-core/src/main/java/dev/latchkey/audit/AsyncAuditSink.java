package dev.latchkey.audit;

import dev.latchkey.audit.internal.QueueingAuditSink;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * A sink that puts events on a bounded queue and writes them to a delegate on one background
 * thread, so a slow disk does not slow down requests.
 *
 * <p>When the queue is full, the {@link OverflowPolicy} decides: block the caller for a while, drop
 * the event, or fail the caller. Every event that is not queued is counted in {@link
 * #droppedCount()}, logged, and reported to the delegate as an {@link AuditDroppedEvent} once the
 * queue has room again. Failures of the delegate are counted in {@link #failureCount()} and logged;
 * they cannot reach the caller, whose event was already queued.
 *
 * <p>The background thread writes events in batches of up to {@link Builder#batchSize(int)} and
 * calls the delegate's {@link AuditSink#flush()} after each batch. {@link #flush()} waits until
 * every event queued before it has been written and flushed. Thread-safe.
 */
public interface AsyncAuditSink extends AuditSink {

  /** Returns how many events were not queued because the queue was full. */
  long droppedCount();

  /** Returns the number of events waiting in the queue. */
  int queuedCount();

  /** Starts a builder that writes to {@code delegate}. */
  static Builder builder(AuditSink delegate) {
    return new Builder(delegate);
  }

  /** Builder for {@link AsyncAuditSink}; not thread-safe. */
  final class Builder {
    private final AuditSink delegate;
    private int capacity = 65_536;
    private int batchSize = 1024;
    private OverflowPolicy overflowPolicy = OverflowPolicy.block(Duration.ofSeconds(1));
    private AuditStamper stamper;
    private String name = "audit-async";
    private ThreadFactory threadFactory;
    private Duration closeTimeout = Duration.ofSeconds(10);

    private Builder(AuditSink delegate) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /**
     * Sets the maximum number of queued events; default 65,536.
     *
     * @throws IllegalArgumentException if it is less than 1
     */
    public Builder capacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("Invalid audit queue capacity " + capacity + ": use 1 or more");
      }
      this.capacity = capacity;
      return this;
    }

    /**
     * Sets the maximum number of events written between two flushes of the delegate; default 1024.
     *
     * @throws IllegalArgumentException if it is less than 1
     */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("Invalid audit batch size " + batchSize + ": use 1 or more");
      }
      this.batchSize = batchSize;
      return this;
    }

    /** Sets what happens when the queue is full; default: block for up to 1 second, then drop. */
    public Builder overflowPolicy(OverflowPolicy overflowPolicy) {
      this.overflowPolicy = Objects.requireNonNull(overflowPolicy, "overflowPolicy");
      return this;
    }

    /**
     * Sets the stamper of the {@link AuditDroppedEvent}s this sink writes; default a new stamper on
     * the system clock. Pass the stamper of the other events so that sequence numbers stay unique.
     */
    public Builder stamper(AuditStamper stamper) {
      this.stamper = Objects.requireNonNull(stamper, "stamper");
      return this;
    }

    /**
     * Sets the sink's name, used in its thread's name, in logs and in drop reports; default {@code
     * audit-async}.
     */
    public Builder name(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("Invalid audit sink name '': use a short name such as audit-file");
      }
      this.name = name;
      return this;
    }

    /** Sets the factory of the background thread; default a daemon thread named after the sink. */
    public Builder threadFactory(ThreadFactory threadFactory) {
      this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
      return this;
    }

    /**
     * Sets how long {@link AuditSink#close()} and {@link AuditSink#flush()} wait for the queue to
     * drain; default 10 seconds.
     *
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder closeTimeout(Duration closeTimeout) {
      Objects.requireNonNull(closeTimeout, "closeTimeout");
      if (closeTimeout.isNegative() || closeTimeout.isZero()) {
        throw new IllegalArgumentException("Invalid close timeout " + closeTimeout + ": use a positive duration");
      }
      this.closeTimeout = closeTimeout;
      return this;
    }

    /** Creates the sink and starts its background thread. */
    public AsyncAuditSink build() {
      AuditStamper dropStamper = stamper != null ? stamper : AuditStamper.system();
      ThreadFactory factory = threadFactory != null ? threadFactory : runnable -> {
        Thread thread = new Thread(runnable, "latchkey-" + name);
        thread.setDaemon(true);
        return thread;
      };
      return new QueueingAuditSink(delegate, capacity, batchSize, overflowPolicy, dropStamper, name, factory, closeTimeout);
    }
  }
}
