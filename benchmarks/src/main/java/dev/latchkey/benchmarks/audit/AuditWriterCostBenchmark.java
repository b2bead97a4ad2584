package dev.latchkey.benchmarks.audit;

import dev.latchkey.audit.AuditStamper;
import dev.latchkey.audit.JsonLinesAuditSink;
import dev.latchkey.audit.JsonLinesAuditSink.FlushPolicy;
import dev.latchkey.audit.StorageRequestEvent;
import dev.latchkey.credentials.SecretValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The time the asynchronous sink's writer thread spends on one event: serializing it, chaining it
 * if asked, and appending it to the JSON Lines file, with a flush every 1,024 events as the
 * asynchronous sink does after each full batch. One writer thread handles at most one event per
 * this time, so its inverse bounds the asynchronous sink's throughput. Sample mode reports the
 * median, which time slices lost to other processes on a busy machine distort less than a mean.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AuditWriterCostBenchmark {

  private static final int BATCH = 1024;

  @Param({"false", "true"})
  public boolean hashChain;

  private Path folder;
  private JsonLinesAuditSink sink;
  private AuditStamper stamper;
  private StorageRequestEvent template;
  private int written;

  @Setup(Level.Trial)
  public void open() throws IOException {
    folder = Files.createTempDirectory("audit-writer");
    JsonLinesAuditSink.Builder file = JsonLinesAuditSink.builder(folder.resolve("audit.jsonl"))
        .maxFileSize(64L * 1024 * 1024).maxRotatedFiles(2).flushPolicy(FlushPolicy.ON_FLUSH);
    if (hashChain) {
      file.hashChain(SecretValue.of("benchmark-chain-key-0123456789"));
    }
    sink = file.build();
    stamper = AuditStamper.system();
    template = SampleEvents.storageRequest(stamper);
  }

  @Benchmark
  public void writeOneEvent() {
    sink.write(SampleEvents.restamp(template, stamper));
    if (++written % BATCH == 0) {
      sink.flush();
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
