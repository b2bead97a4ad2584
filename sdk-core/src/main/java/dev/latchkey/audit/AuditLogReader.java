package dev.latchkey.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.audit.internal.AuditFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the files a {@link JsonLinesAuditSink} wrote. A file's incomplete last line, left by a crash,
 * is skipped and reported in {@link AuditLogFile#partialLine()}; any other line that is not a JSON
 * object is an error. Thread-safe.
 */
public final class AuditLogReader {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private AuditLogReader() {}

  /**
   * The events of one file.
   *
   * @param file the file read
   * @param events one JSON object per complete line, in file order
   * @param partialLine the incomplete last line, if the file has one
   */
  public record AuditLogFile(Path file, List<JsonNode> events, Optional<PartialLine> partialLine) {
    public AuditLogFile {
      events = List.copyOf(events);
    }
  }

  /**
   * An incomplete last line that was skipped.
   *
   * @param file the file it is in
   * @param lineNumber its line number, counting from 1
   * @param length its length in bytes
   */
  public record PartialLine(Path file, long lineNumber, int length) {}

  /**
   * Returns the files of the log whose active file is {@code activeFile}: the rotated files from
   * oldest to newest, then the active file if it exists.
   *
   * @throws AuditException if the folder cannot be listed
   */
  public static List<Path> files(Path activeFile) {
    try {
      return AuditFiles.chronological(activeFile);
    } catch (IOException e) {
      throw new AuditException("Listing audit files of " + activeFile + " failed: " + e.getMessage(), e, true);
    }
  }

  /**
   * Reads every file of a log, oldest first.
   *
   * @throws AuditException if a file cannot be read or contains a malformed complete line
   */
  public static List<AuditLogFile> readAll(Path activeFile) {
    List<AuditLogFile> files = new ArrayList<>();
    for (Path file : files(activeFile)) {
      files.add(read(file));
    }
    return files;
  }

  /**
   * Reads one file.
   *
   * @throws AuditException if it cannot be read or contains a malformed complete line
   */
  public static AuditLogFile read(Path file) {
    AuditFiles.Lines lines = AuditFiles.split(readBytes(file));
    List<JsonNode> events = new ArrayList<>(lines.complete().size());
    for (int i = 0; i < lines.complete().size(); i++) {
      events.add(parse(file, i + 1, lines.complete().get(i)));
    }
    Optional<PartialLine> partial = lines.partial().length == 0
        ? Optional.empty()
        : Optional.of(new PartialLine(file, lines.complete().size() + 1L, lines.partial().length));
    return new AuditLogFile(file, events, partial);
  }

  static byte[] readBytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new AuditException("Reading audit file " + file + " failed: " + e.getMessage(), e, true);
    }
  }

  private static JsonNode parse(Path file, long lineNumber, byte[] line) {
    try {
      JsonNode node = MAPPER.readTree(line);
      if (node == null || !node.isObject()) {
        throw new AuditException("Invalid audit line " + lineNumber + " in " + file + ": expected a JSON object", false);
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new AuditException("Invalid audit line " + lineNumber + " in " + file + ": it is not JSON ("
          + e.getOriginalMessage() + "); only the last line of a file may be incomplete", e, false);
    } catch (IOException e) {
      throw new AuditException("Reading audit line " + lineNumber + " in " + file + " failed", e, false);
    }
  }
}
