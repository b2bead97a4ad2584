package dev.latchkey.audit;

import static dev.latchkey.audit.LogCapture.CANARY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.audit.JsonLinesAuditSink.FlushPolicy;
import dev.latchkey.audit.JsonLinesAuditSink.FsyncPolicy;
import dev.latchkey.credentials.SecretValue;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesAuditSinkTest {

  private static final SecretValue CHAIN_KEY = SecretValue.of("chain-key-" + CANARY);

  @RegisterExtension
  final LogCapture logs = new LogCapture();

  @TempDir
  Path folder;

  @Test
  void writesOneJsonObjectPerLine() throws IOException {
    Path file = folder.resolve("audit.jsonl");
    List<AuditEvent> events = Events.everyType(Events.stamper());

    try (JsonLinesAuditSink sink = JsonLinesAuditSink.builder(file).build()) {
      events.forEach(sink::write);
    }

    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(events.size());
    for (int i = 0; i < lines.size(); i++) {
      assertThat(lines.get(i)).isEqualTo(AuditJson.toJson(events.get(i)));
      assertThat(lines.get(i)).doesNotContain(CANARY);
    }
  }

  @Test
  void rotatesBySizeAndKeepsNewestFiles() throws IOException {
    Path file = folder.resolve("audit.jsonl");
    AuditStamper stamper = Events.stamper();

    try (JsonLinesAuditSink sink = JsonLinesAuditSink.builder(file).maxFileSize(2048).maxRotatedFiles(3).build()) {
      for (int i = 0; i < 40; i++) {
        sink.write(Events.storageRequest(stamper, 200));
      }
      assertThat(sink.rotationCount()).isGreaterThan(3);
    }

    List<Path> files = AuditLogReader.files(file);
    assertThat(files).hasSize(4);
    assertThat(files.get(3)).isEqualTo(file);
    for (Path each : files) {
      assertThat(Files.size(each)).isLessThanOrEqualTo(2048);
    }
    long lastSequence = lastEvent(AuditLogReader.readAll(file)).get("event.sequence").asLong();
    assertThat(lastSequence).isEqualTo(40);
  }

  @Test
  void sequenceContinuesAcrossRotatedFilesInOrder() {
    Path file = folder.resolve("audit.jsonl");
    AuditStamper stamper = Events.stamper();

    try (JsonLinesAuditSink sink = JsonLinesAuditSink.builder(file).maxFileSize(1500).maxRotatedFiles(0).build()) {
      for (int i = 0; i < 12; i++) {
        sink.write(Events.allowed(stamper));
      }
    }

    long expected = 1;
    for (AuditLogReader.AuditLogFile logFile : AuditLogReader.readAll(file)) {
      for (JsonNode event : logFile.events()) {
        assertThat(event.get("event.sequence").asLong()).isEqualTo(expected++);
      }
    }
    assertThat(expected).isEqualTo(13);
  }

  @Test
  void readerSkipsAndReportsLineCutByCrash() throws IOException {
    Path file = folder.resolve("audit.jsonl");
    writeEvents(file, 3, null);
    long fullSize = Files.size(file);
    truncate(file, fullSize - 40);

    AuditLogReader.AuditLogFile read = AuditLogReader.read(file);

    assertThat(read.events()).hasSize(2);
    assertThat(read.partialLine()).isPresent();
    assertThat(read.partialLine().get().lineNumber()).isEqualTo(3);
    assertThat(read.partialLine().get().length()).isPositive();
  }

  @Test
  void reopeningAfterCrashMovesPartialFileAside() throws IOException {
    Path file = folder.resolve("audit.jsonl");
    writeEvents(file, 3, CHAIN_KEY);
    truncate(file, Files.size(file) - 25);

    writeEvents(file, 2, CHAIN_KEY);

    List<AuditLogReader.AuditLogFile> read = AuditLogReader.readAll(file);
    assertThat(read).hasSize(2);
    assertThat(read.get(0).file()).isEqualTo(folder.resolve("audit.jsonl.1"));
    assertThat(read.get(0).events()).hasSize(2);
    assertThat(read.get(0).partialLine()).isPresent();
    assertThat(read.get(1).events()).hasSize(2);
    assertThat(read.get(1).partialLine()).isEmpty();
    assertThat(logs.lines()).anyMatch(line -> line.contains("ends with an incomplete line"));

    AuditChainVerifier.Report report = AuditChainVerifier.verify(file, CHAIN_KEY);
    assertThat(report.intact()).as(AuditChainVerifier.describe(report)).isTrue();
    assertThat(report.linesChecked()).isEqualTo(4);
    assertThat(report.partialLines()).hasSize(1);
  }

  @Test
  void holdsLinesUntilFlushWithOnFlushPolicy() throws IOException {
    Path file = folder.resolve("audit.jsonl");

    try (JsonLinesAuditSink sink = JsonLinesAuditSink.builder(file)
        .flushPolicy(FlushPolicy.ON_FLUSH).fsyncPolicy(FsyncPolicy.EVERY_FLUSH).build()) {
      sink.write(Events.allowed(Events.stamper()));
      assertThat(Files.size(file)).isZero();

      sink.flush();

      assertThat(Files.readAllLines(file)).hasSize(1);
    }
  }

  @Test
  void writeAfterCloseFailsAndIsCounted() {
    JsonLinesAuditSink sink = JsonLinesAuditSink.builder(folder.resolve("audit.jsonl")).build();
    sink.close();

    assertThatThrownBy(() -> sink.write(Events.allowed(Events.stamper())))
        .isInstanceOf(AuditException.class)
        .hasMessageContaining("closed");
    assertThat(sink.failureCount()).isEqualTo(1);
  }

  @Test
  void openingInUnwritableFolderFailsClearly() throws IOException {
    Path notAFolder = Files.writeString(folder.resolve("plain-file"), "x");

    assertThatThrownBy(() -> JsonLinesAuditSink.builder(notAFolder.resolve("audit.jsonl")).build())
        .isInstanceOf(AuditException.class)
        .hasMessageContaining("Opening audit file")
        .hasMessageContaining("writable");
  }

  @Test
  void builderRejectsBadOptions() {
    JsonLinesAuditSink.Builder builder = JsonLinesAuditSink.builder(folder.resolve("a.jsonl"));

    assertThatThrownBy(() -> builder.maxFileSize(100)).hasMessageContaining("maxFileSize 100");
    assertThatThrownBy(() -> builder.maxRotatedFiles(-1)).hasMessageContaining("maxRotatedFiles -1");
    assertThatThrownBy(() -> builder.hashChain(SecretValue.of("short"))).hasMessageContaining("5 characters");
  }

  @Test
  void chainedLinesNeverContainKey() throws IOException {
    Path file = folder.resolve("audit.jsonl");

    writeEvents(file, 5, CHAIN_KEY);

    String content = Files.readString(file);
    assertThat(content).doesNotContain(CHAIN_KEY.reveal());
    assertThat(content).doesNotContain(CANARY);
    assertThat(content).contains("\"latchkey.chain.mac\":\"");
  }

  static void writeEvents(Path file, int count, SecretValue chainKey) {
    JsonLinesAuditSink.Builder builder = JsonLinesAuditSink.builder(file).maxRotatedFiles(0);
    if (chainKey != null) {
      builder.hashChain(chainKey);
    }
    AuditStamper stamper = Events.stamper();
    try (JsonLinesAuditSink sink = builder.build()) {
      for (int i = 0; i < count; i++) {
        sink.write(i % 2 == 0 ? Events.storageRequest(stamper, 200) : Events.denied(stamper));
      }
    }
  }

  static void truncate(Path file, long size) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(size);
    }
    assertThat(Files.readString(file, StandardCharsets.UTF_8)).doesNotEndWith("\n");
  }

  private static JsonNode lastEvent(List<AuditLogReader.AuditLogFile> files) {
    List<JsonNode> events = files.get(files.size() - 1).events();
    return events.get(events.size() - 1);
  }
}
