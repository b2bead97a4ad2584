package dev.latchkey.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AsyncAuditSinkTest {

  @RegisterExtension
  final LogCapture logs = new LogCapture();

  private final AuditStamper stamper = Events.stamper();
  private final GatedSink delegate = new GatedSink();
  private AsyncAuditSink sink;

  @AfterEach
  void closeSink() {
    delegate.gate.countDown();
    if (sink != null) {
      sink.close();
    }
  }

  @Test
  void writesEveryEventToDelegate() {
    delegate.gate.countDown();
    sink = AsyncAuditSink.builder(delegate).capacity(4).stamper(stamper).build();

    for (int i = 0; i < 100; i++) {
      sink.write(Events.allowed(stamper));
    }
    sink.flush();

    assertThat(delegate.memory.events()).hasSize(100);
    assertThat(delegate.flushes).isPositive();
    assertThat(sink.droppedCount()).isZero();
  }

  @Test
  void dropPolicyCountsAndReportsDrops() throws InterruptedException {
    sink = AsyncAuditSink.builder(delegate).capacity(2).overflowPolicy(OverflowPolicy.drop())
        .stamper(stamper).name("test-drop").build();
    fillQueue();

    sink.write(Events.allowed(stamper));
    sink.write(Events.allowed(stamper));

    assertThat(sink.droppedCount()).isEqualTo(2);
    delegate.gate.countDown();
    sink.flush();
    List<AuditEvent> reports = delegate.memory.events(EventType.AUDIT_DROPPED);
    assertThat(reports).hasSize(1);
    AuditDroppedEvent report = (AuditDroppedEvent) reports.get(0);
    assertThat(report.dropped()).isEqualTo(2);
    assertThat(report.droppedTotal()).isEqualTo(2);
    assertThat(report.sink()).isEqualTo("test-drop");
    assertThat(delegate.memory.events(EventType.ACCESS_ALLOWED)).hasSize(3);
    assertThat(logs.lines()).anyMatch(line -> line.contains("dropped event"));
  }

  @Test
  void failPolicyThrowsToCaller() throws InterruptedException {
    sink = AsyncAuditSink.builder(delegate).capacity(2).overflowPolicy(OverflowPolicy.fail()).stamper(stamper).build();
    fillQueue();

    assertThatThrownBy(() -> sink.write(Events.denied(stamper)))
        .isInstanceOf(AuditOverflowException.class)
        .hasMessageContaining("is full")
        .satisfies(e -> assertThat(((AuditException) e).isRetryable()).isTrue());
    assertThat(sink.droppedCount()).isEqualTo(1);
  }

  @Test
  void blockPolicyDropsAfterTimeout() throws InterruptedException {
    sink = AsyncAuditSink.builder(delegate).capacity(2).overflowPolicy(OverflowPolicy.block(Duration.ofMillis(20)))
        .stamper(stamper).build();
    fillQueue();

    sink.write(Events.allowed(stamper));

    assertThat(sink.droppedCount()).isEqualTo(1);
  }

  @Test
  void blockPolicyWaitsForRoom() throws Exception {
    sink = AsyncAuditSink.builder(delegate).capacity(2).overflowPolicy(OverflowPolicy.block(Duration.ofMinutes(1)))
        .stamper(stamper).build();
    fillQueue();
    CountDownLatch writerStarted = new CountDownLatch(1);

    CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
      writerStarted.countDown();
      sink.write(Events.denied(stamper));
    });
    assertThat(writerStarted.await(10, TimeUnit.SECONDS)).isTrue();
    delegate.gate.countDown();
    blocked.get(10, TimeUnit.SECONDS);
    sink.flush();

    assertThat(sink.droppedCount()).isZero();
    assertThat(delegate.memory.events()).hasSize(4);
  }

  @Test
  void countsAndLogsDelegateFailures() {
    delegate.gate.countDown();
    delegate.failing = true;
    sink = AsyncAuditSink.builder(delegate).stamper(stamper).name("test-fail").build();

    sink.write(Events.allowed(stamper));
    sink.flush();

    assertThat(sink.failureCount()).isEqualTo(1);
    assertThat(logs.lines()).anyMatch(line -> line.contains("Audit sink test-fail failed to record event"));
  }

  @Test
  void closeWritesQueuedEventsAndClosesDelegate() {
    sink = AsyncAuditSink.builder(delegate).capacity(10).stamper(stamper).build();
    for (int i = 0; i < 5; i++) {
      sink.write(Events.allowed(stamper));
    }
    delegate.gate.countDown();

    sink.close();

    assertThat(delegate.memory.events()).hasSize(5);
    assertThat(delegate.closed).isTrue();
    assertThatThrownBy(() -> sink.write(Events.allowed(stamper))).isInstanceOf(AuditException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void builderRejectsBadOptions() {
    AsyncAuditSink.Builder builder = AsyncAuditSink.builder(AuditSink.NONE);

    assertThatThrownBy(() -> builder.capacity(0)).hasMessageContaining("capacity 0");
    assertThatThrownBy(() -> builder.batchSize(0)).hasMessageContaining("batch size 0");
    assertThatThrownBy(() -> OverflowPolicy.block(Duration.ZERO)).hasMessageContaining("PT0S");
  }

  /** Blocks the writer thread in the delegate on its first event, then fills the queue to capacity 2. */
  private void fillQueue() throws InterruptedException {
    sink.write(Events.allowed(stamper));
    assertThat(delegate.entered.await(10, TimeUnit.SECONDS)).isTrue();
    sink.write(Events.allowed(stamper));
    sink.write(Events.allowed(stamper));
    assertThat(sink.queuedCount()).isEqualTo(2);
  }

  /** A delegate that holds the writer thread until {@link #gate} opens. */
  private static final class GatedSink implements AuditSink {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch gate = new CountDownLatch(1);
    final InMemoryAuditSink memory = new InMemoryAuditSink();
    volatile boolean failing;
    volatile boolean closed;
    volatile int flushes;

    @Override
    public void write(AuditEvent event) {
      entered.countDown();
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (failing) {
        throw new IllegalStateException("disk full");
      }
      memory.write(event);
    }

    @Override
    public void flush() {
      flushes++;
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
