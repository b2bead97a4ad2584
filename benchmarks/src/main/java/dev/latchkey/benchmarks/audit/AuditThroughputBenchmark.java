package dev.latchkey.benchmarks.audit;

import dev.latchkey.audit.AsyncAuditSink;
import dev.latchkey.audit.AuditStamper;
import dev.latchkey.audit.JsonLinesAuditSink;
import dev.latchkey.audit.JsonLinesAuditSink.FlushPolicy;
import dev.latchkey.audit.JsonLinesAuditSink.FsyncPolicy;
import dev.latchkey.audit.OverflowPolicy;
import dev.latchkey.audit.StorageRequestEvent;
import dev.latchkey.credentials.SecretValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Events per second that the JSON Lines file sink takes behind the asynchronous sink with the
 * blocking overflow policy. The queue is small (8,192 events), so after the first milliseconds the
 * producers run at the speed of the writer thread. Each iteration ends by flushing the queue, and
 * fails if any event was dropped.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AuditThroughputBenchmark {

  @Param({"false", "true"})
  public boolean hashChain;

  private Path folder;
  private AsyncAuditSink sink;
  private AuditStamper stamper;
  private StorageRequestEvent template;

  @Setup(Level.Trial)
  public void open() throws IOException {
    folder = Files.createTempDirectory("audit-throughput");
    JsonLinesAuditSink.Builder file = JsonLinesAuditSink.builder(folder.resolve("audit.jsonl"))
        .maxFileSize(64L * 1024 * 1024)
        .maxRotatedFiles(2)
        .flushPolicy(FlushPolicy.ON_FLUSH)
        .fsyncPolicy(FsyncPolicy.ON_ROTATE);
    if (hashChain) {
      file.hashChain(SecretValue.of("benchmark-chain-key-0123456789"));
    }
    stamper = AuditStamper.system();
    sink = AsyncAuditSink.builder(file.build())
        .capacity(8192)
        .overflowPolicy(OverflowPolicy.block(Duration.ofSeconds(30)))
        .stamper(stamper)
        .build();
    template = SampleEvents.storageRequest(stamper);
  }

  @Benchmark
  public void writeStorageRequest() {
    sink.write(SampleEvents.restamp(template, stamper));
  }

  @TearDown(Level.Iteration)
  public void checkNoLoss() {
    sink.flush();
    if (sink.droppedCount() != 0 || sink.failureCount() != 0) {
      throw new IllegalStateException("Lost events: " + sink.droppedCount() + " dropped, "
          + sink.failureCount() + " failed");
    }
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    sink.close();
    try (Stream<Path> files = Files.walk(folder)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}
