package dev.latchkey.audit.internal;

import dev.latchkey.audit.AsyncAuditSink;
import dev.latchkey.audit.AuditDroppedEvent;
import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditException;
import dev.latchkey.audit.AuditOverflowException;
import dev.latchkey.audit.AuditSink;
import dev.latchkey.audit.AuditStamper;
import dev.latchkey.audit.OverflowPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link AsyncAuditSink}: a bounded queue and one writer thread.
 *
 * <p>The queue contains events and control markers (a flush request, the close marker). A marker
 * waits for room up to the close timeout like a blocked event, and the writer sees markers in order
 * with the events.
 */
public final class QueueingAuditSink implements AsyncAuditSink {

  private static final Logger LOG = LoggerFactory.getLogger(QueueingAuditSink.class);

  private static final Object CLOSE = new Object();

  private final AuditSink delegate;
  private final BlockingQueue<Object> queue;
  private final int batchSize;
  private final OverflowPolicy overflowPolicy;
  private final AuditStamper stamper;
  private final String name;
  private final Duration closeTimeout;
  private final Thread writer;
  private final FailureCounter failures;
  private final AtomicLong dropped = new AtomicLong();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean closed;
  private long droppedReported;

  /** A flush request; the writer counts down its latch once everything queued before it is flushed. */
  private record FlushRequest(CountDownLatch done) {}

  public QueueingAuditSink(AuditSink delegate, int capacity, int batchSize, OverflowPolicy overflowPolicy,
      AuditStamper stamper, String name, ThreadFactory threadFactory, Duration closeTimeout) {
    this.delegate = delegate;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.batchSize = batchSize;
    this.overflowPolicy = overflowPolicy;
    this.stamper = stamper;
    this.name = name;
    this.closeTimeout = closeTimeout;
    this.failures = new FailureCounter(LOG, name);
    this.writer = threadFactory.newThread(this::drain);
    writer.start();
    LOG.debug("Started audit sink {} with a queue of {} events and overflow policy {}", name, capacity, overflowPolicy);
  }

  @Override
  public void write(AuditEvent event) {
    if (closed) {
      failures.record(event, new IllegalStateException("closed"));
      throw new AuditException("Audit sink " + name + " is closed; event " + event.id() + " was not recorded", false);
    }
    if (queue.offer(event)) {
      return;
    }
    handleOverflow(event);
  }

  private void handleOverflow(AuditEvent event) {
    if (overflowPolicy instanceof OverflowPolicy.Block block && offerWithin(event, block.timeout())) {
      return;
    }
    long total = dropped.incrementAndGet();
    if (total <= 10 || total % 1000 == 0) {
      LOG.warn("Audit sink {} dropped event {} ({}) because its queue is full; {} dropped so far",
          name, event.id(), event.type().action(), total);
    }
    if (overflowPolicy instanceof OverflowPolicy.Fail) {
      throw new AuditOverflowException("Audit queue of sink " + name + " is full; event " + event.id()
          + " was not recorded. Raise the capacity or use a faster delegate sink");
    }
  }

  private boolean offerWithin(AuditEvent event, Duration timeout) {
    try {
      return queue.offer(event, timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public long droppedCount() {
    return dropped.get();
  }

  @Override
  public int queuedCount() {
    return queue.size();
  }

  @Override
  public long failureCount() {
    return failures.count();
  }

  /**
   * Waits until every event queued before this call is written and the delegate is flushed.
   *
   * @throws AuditException if that takes longer than the close timeout, or the caller is interrupted
   */
  @Override
  public void flush() {
    if (closed) {
      return;
    }
    CountDownLatch done = new CountDownLatch(1);
    enqueueMarker(new FlushRequest(done));
    await(done, "flushing");
  }

  /** Writes every queued event, flushes and closes the delegate, and stops the writer thread. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    enqueueMarker(CLOSE);
    await(stopped, "closing");
    LOG.debug("Closed audit sink {}; {} events dropped, {} failures", name, dropped.get(), failures.count());
  }

  private void enqueueMarker(Object marker) {
    try {
      if (!queue.offer(marker, closeTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new AuditException("Audit sink " + name + " timed out after " + closeTimeout
            + " waiting for queue room", true);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AuditException("Interrupted while waiting for audit sink " + name, e, true);
    }
  }

  private void await(CountDownLatch latch, String what) {
    try {
      if (!latch.await(closeTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new AuditException("Audit sink " + name + " timed out after " + closeTimeout + " " + what
            + "; " + queue.size() + " events are still queued", true);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AuditException("Interrupted while " + what + " audit sink " + name, e, true);
    }
  }

  /** Runs the writer thread: takes a batch, writes it, reports drops and flushes, until the close marker. */
  private void drain() {
    List<Object> batch = new ArrayList<>(batchSize);
    boolean running = true;
    try {
      while (running) {
        batch.add(queue.take());
        queue.drainTo(batch, batchSize - 1);
        running = writeBatch(batch);
        batch.clear();
      }
    } catch (InterruptedException e) {
      LOG.warn("Audit sink {} writer was interrupted with {} events queued; they are not written", name, queue.size());
      Thread.currentThread().interrupt();
    } finally {
      writeLeftovers();
      closeDelegate();
      stopped.countDown();
    }
  }

  /** Writes what a caller queued after the close marker, having passed the closed check just before close. */
  private void writeLeftovers() {
    List<Object> leftovers = new ArrayList<>();
    queue.drainTo(leftovers);
    if (!leftovers.isEmpty()) {
      writeBatch(leftovers);
    }
  }

  /** Writes one batch and returns whether the writer keeps running. */
  private boolean writeBatch(List<Object> batch) {
    boolean running = true;
    List<CountDownLatch> flushed = new ArrayList<>(0);
    for (Object item : batch) {
      if (item instanceof AuditEvent event) {
        writeToDelegate(event);
      } else if (item instanceof FlushRequest request) {
        flushed.add(request.done());
      } else if (item == CLOSE) {
        running = false;
      }
    }
    reportDrops();
    flushDelegate();
    flushed.forEach(CountDownLatch::countDown);
    return running;
  }

  private void writeToDelegate(AuditEvent event) {
    try {
      delegate.write(event);
    } catch (RuntimeException e) {
      failures.record(event, e);
    }
  }

  private void reportDrops() {
    long total = dropped.get();
    if (total == droppedReported) {
      return;
    }
    AuditDroppedEvent report = new AuditDroppedEvent(stamper.next(), name, total - droppedReported, total);
    droppedReported = total;
    writeToDelegate(report);
  }

  private void flushDelegate() {
    try {
      delegate.flush();
    } catch (RuntimeException e) {
      failures.record(null, e);
    }
  }

  private void closeDelegate() {
    try {
      delegate.close();
    } catch (RuntimeException e) {
      failures.record(null, e);
    }
  }
}
