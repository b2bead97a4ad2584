package dev.latchkey.benchmarks.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.audit.AsyncAuditSink;
import dev.latchkey.audit.AuditJson;
import dev.latchkey.audit.AuditSink;
import dev.latchkey.audit.AuditStamper;
import dev.latchkey.audit.JsonLinesAuditSink;
import dev.latchkey.audit.JsonLinesAuditSink.FlushPolicy;
import dev.latchkey.audit.OverflowPolicy;
import dev.latchkey.audit.StorageRequestEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost audit adds to one storage request: building the event (with URL redaction) and handing it
 * to the asynchronous sink in front of the JSON Lines file sink. Sample mode reports the median. The serialization benchmarks compare the streaming writer with Jackson databind
 * writing the same fields from a map, the usual way to emit a JSON log line.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AuditOverheadBenchmark {

  private Path folder;
  private AsyncAuditSink sink;
  private AuditStamper stamper;
  private StorageRequestEvent event;
  private final ObjectMapper mapper = new ObjectMapper();

  @Setup(Level.Trial)
  public void open() throws IOException {
    folder = Files.createTempDirectory("audit-overhead");
    AuditSink file = JsonLinesAuditSink.builder(folder.resolve("audit.jsonl"))
        .maxFileSize(64L * 1024 * 1024).maxRotatedFiles(2).flushPolicy(FlushPolicy.ON_FLUSH).build();
    stamper = AuditStamper.system();
    sink = AsyncAuditSink.builder(file).overflowPolicy(OverflowPolicy.block(Duration.ofSeconds(30)))
        .stamper(stamper).build();
    event = SampleEvents.storageRequest(stamper);
  }

  /** Builds one request's event, including URL redaction, and queues it. */
  @Benchmark
  public void auditOneRequest() {
    sink.write(SampleEvents.storageRequest(stamper));
  }

  @Benchmark
  public String serializeWithStreamingWriter() {
    return AuditJson.toJson(event);
  }

  @Benchmark
  public String serializeWithDatabindMap() throws IOException {
    return mapper.writeValueAsString(asMap(event));
  }

  @TearDown(Level.Iteration)
  public void drain() {
    sink.flush();
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    sink.close();
    if (sink.droppedCount() != 0) {
      throw new IllegalStateException(sink.droppedCount() + " events were dropped");
    }
    try (Stream<Path> files = Files.walk(folder)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  private static Map<String, Object> asMap(StorageRequestEvent event) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("@timestamp", event.time().toString());
    map.put("ecs.version", "8.11.0");
    map.put("latchkey.schema_version", 1);
    map.put("event.id", event.id());
    map.put("event.sequence", event.sequence());
    map.put("event.kind", "event");
    map.put("event.dataset", "latchkey.audit");
    map.put("event.action", "storage.request");
    map.put("event.outcome", "success");
    map.put("user.name", event.identity().name());
    map.put("latchkey.identity.attributes", event.identity().attributes());
    map.put("latchkey.action", event.action());
    map.put("latchkey.resource", event.resource());
    map.put("http.request.method", event.method());
    map.put("url.original", event.url());
    map.put("http.response.status_code", event.statusCode());
    map.put("http.request.id", event.requestId());
    map.put("http.request.body.bytes", event.bytesSent());
    map.put("http.response.body.bytes", event.bytesReceived());
    map.put("event.duration", event.duration().toNanos());
    map.put("latchkey.credential.id", event.credentialId());
    map.put("latchkey.credential.provider", event.credentialProvider());
    map.put("rule.name", event.policyRule());
    return map;
  }
}
