package dev.latchkey.audit;

import static dev.latchkey.audit.LogCapture.CANARY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.audit.AuditChainVerifier.BreakKind;
import dev.latchkey.audit.AuditChainVerifier.ChainBreak;
import dev.latchkey.audit.AuditChainVerifier.Report;
import dev.latchkey.credentials.SecretValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class AuditChainVerifierTest {

  private static final SecretValue KEY = SecretValue.of("k3y-" + CANARY);

  @RegisterExtension
  final LogCapture logs = new LogCapture();

  @TempDir
  Path folder;

  private Path file;

  @BeforeEach
  void writeLog() {
    file = folder.resolve("audit.jsonl");
    JsonLinesAuditSinkTest.writeEvents(file, 6, KEY);
  }

  @Test
  void intactChainPasses() {
    Report report = AuditChainVerifier.verify(file, KEY);

    assertThat(report.intact()).isTrue();
    assertThat(report.linesChecked()).isEqualTo(6);
    assertThat(AuditChainVerifier.describe(report)).startsWith("Hash chain intact: 6 lines in 1 files");
  }

  @Test
  void catchesEditedLine() throws IOException {
    List<String> lines = Files.readAllLines(file);
    String original = lines.get(3);
    lines.set(3, original.replace("\"DELETE\"", "\"READ\""));
    assertThat(lines.get(3)).isNotEqualTo(original);
    write(lines);

    assertBreak(AuditChainVerifier.verify(file, KEY), 4, BreakKind.EDITED);
  }

  @Test
  void catchesEditedLastLine() throws IOException {
    List<String> lines = Files.readAllLines(file);
    String original = lines.get(5);
    lines.set(5, original.replace("billing-exporter", "someone-else"));
    assertThat(lines.get(5)).isNotEqualTo(original);
    write(lines);

    assertBreak(AuditChainVerifier.verify(file, KEY), 6, BreakKind.EDITED);
  }

  @Test
  void catchesDeletedLine() throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    lines.remove(3);
    write(lines);

    assertBreak(AuditChainVerifier.verify(file, KEY), 4, BreakKind.DELETED);
  }

  @Test
  void catchesDeletedFirstLine() throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    lines.remove(0);
    write(lines);

    assertBreak(AuditChainVerifier.verify(file, KEY), 1, BreakKind.DELETED);
  }

  @Test
  void catchesForgedInsertedLine() throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    String forged = lines.get(1).replace("\"event.sequence\":2", "\"event.sequence\":99");
    assertThat(forged).isNotEqualTo(lines.get(1));
    lines.add(2, forged);
    write(lines);

    assertBreak(AuditChainVerifier.verify(file, KEY), 3, BreakKind.INSERTED);
  }

  @Test
  void catchesCopiedLine() throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    lines.add(4, lines.get(1));
    write(lines);

    assertBreak(AuditChainVerifier.verify(file, KEY), 5, BreakKind.INSERTED);
  }

  @Test
  void catchesReorderedLines() throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    Collections.swap(lines, 2, 3);
    write(lines);

    assertBreak(AuditChainVerifier.verify(file, KEY), 3, BreakKind.REORDERED);
  }

  @Test
  void catchesWrongKey() {
    Report report = AuditChainVerifier.verify(file, SecretValue.of("another-key-0123456789"));

    assertBreak(report, 1, BreakKind.EDITED);
  }

  @Test
  void catchesLineWithoutChainFields() throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    lines.set(1, AuditJson.toJson(Events.allowed(Events.stamper())));
    write(lines);

    assertBreak(AuditChainVerifier.verify(file, KEY), 2, BreakKind.MALFORMED);
  }

  @Test
  void followsChainAcrossRotatedFiles() throws IOException {
    Path rotatedLog = folder.resolve("rotated.jsonl");
    writeRotated(rotatedLog, 30);
    List<Path> files = AuditLogReader.files(rotatedLog);
    assertThat(files).hasSizeGreaterThan(3);

    assertThat(AuditChainVerifier.verify(rotatedLog, KEY).intact()).isTrue();
    assertThat(AuditChainVerifier.verify(rotatedLog, KEY).linesChecked()).isEqualTo(30);
  }

  @Test
  void catchesDeletedRotatedFile() throws IOException {
    Path rotatedLog = folder.resolve("rotated.jsonl");
    writeRotated(rotatedLog, 30);
    List<Path> files = AuditLogReader.files(rotatedLog);
    Files.delete(files.get(1));

    Report report = AuditChainVerifier.verify(rotatedLog, KEY);

    assertThat(report.firstBreak()).isPresent();
    assertThat(report.firstBreak().get().file()).isEqualTo(files.get(2));
    assertThat(report.firstBreak().get().lineNumber()).isEqualTo(1);
    assertThat(report.firstBreak().get().kind()).isEqualTo(BreakKind.DELETED);
  }

  @Test
  void catchesFilesSwappedOnVerify() throws IOException {
    Path rotatedLog = folder.resolve("rotated.jsonl");
    writeRotated(rotatedLog, 30);
    List<Path> files = new ArrayList<>(AuditLogReader.files(rotatedLog));
    Collections.swap(files, 0, 1);

    Report report = AuditChainVerifier.verify(files, KEY);

    assertThat(report.firstBreak()).isPresent();
    assertThat(report.firstBreak().get().file()).isEqualTo(files.get(0));
    assertThat(report.firstBreak().get().kind()).isEqualTo(BreakKind.REORDERED);
  }

  @Test
  void describesBreakWithoutKey() throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    lines.remove(2);
    write(lines);

    String description = AuditChainVerifier.describe(AuditChainVerifier.verify(file, KEY));

    assertThat(description).contains("broken at line 3").contains("DELETED");
    assertThat(description).doesNotContain(CANARY);
  }

  private void writeRotated(Path log, int count) {
    AuditStamper stamper = Events.stamper();
    try (JsonLinesAuditSink sink = JsonLinesAuditSink.builder(log).maxFileSize(2048).maxRotatedFiles(0)
        .hashChain(KEY).build()) {
      for (int i = 0; i < count; i++) {
        sink.write(Events.allowed(stamper));
      }
    }
  }

  private void write(List<String> lines) throws IOException {
    Files.write(file, lines);
  }

  private static void assertBreak(Report report, long lineNumber, BreakKind kind) {
    assertThat(report.firstBreak()).as(AuditChainVerifier.describe(report)).isPresent();
    ChainBreak found = report.firstBreak().get();
    assertThat(found.lineNumber()).as(found.detail()).isEqualTo(lineNumber);
    assertThat(found.kind()).as(found.detail()).isEqualTo(kind);
    assertThat(report.intact()).isFalse();
  }
}
