package dev.latchkey.audit.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.latchkey.audit.AuditEvent;
import dev.latchkey.audit.AuditException;
import dev.latchkey.audit.JsonLinesAuditSink;
import dev.latchkey.credentials.SecretValue;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link JsonLinesAuditSink}. Each event is serialized into a reusable buffer, completed with
 * its chain fields, and appended to a buffered file stream in one write, so only the last line of
 * a file can be cut short by a crash.
 */
public final class JsonLinesFileSink implements JsonLinesAuditSink {

  private static final Logger LOG = LoggerFactory.getLogger(JsonLinesFileSink.class);

  private static final int OUTPUT_BUFFER_BYTES = 64 * 1024;

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT)
      .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
      .build();

  private static final byte[] END_OF_LINE = "}\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END_OF_CHAINED_LINE = "\"}\n".getBytes(StandardCharsets.US_ASCII);

  private final Path activeFile;
  private final long maxFileSize;
  private final int maxRotatedFiles;
  private final FlushPolicy flushPolicy;
  private final FsyncPolicy fsyncPolicy;
  private final ChainMac chain;
  private final LineBuffer line = new LineBuffer();
  private final FailureCounter failures;

  private FileOutputStream file;
  private BufferedOutputStream out;
  private long size;
  private long rotations;
  private String previousMac;
  private boolean closed;

  private JsonLinesFileSink(Path activeFile, long maxFileSize, int maxRotatedFiles, FlushPolicy flushPolicy,
      FsyncPolicy fsyncPolicy, SecretValue chainKey) {
    this.activeFile = activeFile;
    this.maxFileSize = maxFileSize;
    this.maxRotatedFiles = maxRotatedFiles;
    this.flushPolicy = flushPolicy;
    this.fsyncPolicy = fsyncPolicy;
    this.chain = chainKey == null ? null : new ChainMac(chainKey);
    this.failures = new FailureCounter(LOG, activeFile.getFileName().toString());
  }

  /** Opens the sink: recovers a partial last line, finds the chain's last mac, opens the file. */
  public static JsonLinesFileSink open(Path activeFile, long maxFileSize, int maxRotatedFiles,
      FlushPolicy flushPolicy, FsyncPolicy fsyncPolicy, SecretValue chainKey) {
    JsonLinesFileSink sink =
        new JsonLinesFileSink(activeFile, maxFileSize, maxRotatedFiles, flushPolicy, fsyncPolicy, chainKey);
    try {
      Files.createDirectories(AuditFiles.folderOf(activeFile));
      sink.recoverPartialLine();
      sink.previousMac = sink.chain == null ? null : sink.findPreviousMac();
      sink.openActiveFile();
    } catch (IOException e) {
      throw new AuditException("Opening audit file " + activeFile + " failed: " + e.getMessage()
          + "; check that its folder exists and is writable", e, false);
    }
    LOG.debug("Opened audit file {} ({} bytes, hash chain {})", activeFile, sink.size, chainKey == null ? "off" : "on");
    return sink;
  }

  private void recoverPartialLine() throws IOException {
    if (Files.exists(activeFile) && AuditFiles.endsWithPartialLine(activeFile)) {
      Path rotated = moveActiveFileAside();
      LOG.warn("Audit file {} ends with an incomplete line, probably from a crash; moved it to {} "
          + "and started a new file. Readers skip that line and report it", activeFile, rotated);
    }
  }

  private String findPreviousMac() throws IOException {
    Path newest = AuditFiles.newestNonEmpty(activeFile);
    String lastLine = newest == null ? null : AuditFiles.lastCompleteLine(newest);
    if (lastLine == null) {
      return ChainMac.GENESIS;
    }
    String mac = AuditFiles.stringField(lastLine, ChainMac.MAC_FIELD);
    if (mac == null) {
      LOG.warn("The last line of audit file {} has no hash chain field; a new chain starts here", newest);
      return ChainMac.GENESIS;
    }
    return mac;
  }

  private void openActiveFile() throws IOException {
    file = new FileOutputStream(activeFile.toFile(), true);
    out = new BufferedOutputStream(file, OUTPUT_BUFFER_BYTES);
    size = file.getChannel().size();
  }

  @Override
  public synchronized void write(AuditEvent event) {
    try {
      ensureOpen();
      serialize(event);
      if (size > 0 && size + line.size() > maxFileSize) {
        rotate();
      }
      out.write(line.array(), 0, line.size());
      size += line.size();
      if (flushPolicy == FlushPolicy.EVERY_EVENT) {
        flushOutput();
      }
    } catch (IOException | RuntimeException e) {
      failures.record(event, e);
      throw new AuditException("Writing audit event " + event.id() + " to " + activeFile + " failed: "
          + FailureCounter.describe(e), e, true);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the sink is closed");
    }
  }

  /** Fills the line buffer with one complete line, and advances the chain. */
  private void serialize(AuditEvent event) throws IOException {
    line.reset();
    try (JsonGenerator json = FACTORY.createGenerator(line)) {
      json.writeStartObject();
      EventJsonWriter.writeFields(event, json);
      if (chain != null) {
        json.writeStringField(ChainMac.PREV_FIELD, previousMac);
      }
    }
    if (chain == null) {
      line.write(END_OF_LINE);
      return;
    }
    String mac = chain.macOf(line.array(), line.size());
    line.write(ChainMac.MAC_PREFIX);
    line.write(mac.getBytes(StandardCharsets.US_ASCII));
    line.write(END_OF_CHAINED_LINE);
    previousMac = mac;
  }

  private void rotate() throws IOException {
    closeOutput();
    Path rotated = moveActiveFileAside();
    deleteOldRotatedFiles();
    openActiveFile();
    rotations++;
    LOG.debug("Rotated audit file {} to {}", activeFile, rotated);
  }

  private Path moveActiveFileAside() throws IOException {
    TreeMap<Long, Path> rotated = AuditFiles.rotatedFiles(activeFile);
    long number = rotated.isEmpty() ? 1 : rotated.lastKey() + 1;
    Path target = AuditFiles.rotatedPath(activeFile, number);
    return Files.move(activeFile, target, StandardCopyOption.ATOMIC_MOVE);
  }

  private void deleteOldRotatedFiles() throws IOException {
    if (maxRotatedFiles == 0) {
      return;
    }
    TreeMap<Long, Path> rotated = AuditFiles.rotatedFiles(activeFile);
    while (rotated.size() > maxRotatedFiles) {
      Map.Entry<Long, Path> oldest = rotated.pollFirstEntry();
      Files.deleteIfExists(oldest.getValue());
      LOG.info("Deleted old audit file {} to keep {} rotated files", oldest.getValue(), maxRotatedFiles);
    }
  }

  @Override
  public synchronized void flush() {
    if (closed) {
      return;
    }
    try {
      flushOutput();
    } catch (IOException e) {
      failures.record(null, e);
      throw new AuditException("Flushing audit file " + activeFile + " failed: " + e.getMessage(), e, true);
    }
  }

  private void flushOutput() throws IOException {
    out.flush();
    if (fsyncPolicy == FsyncPolicy.EVERY_FLUSH) {
      file.getChannel().force(false);
    }
  }

  /** Flushes, forces the file to the device unless the policy is NEVER, and closes it. */
  private void closeOutput() throws IOException {
    out.flush();
    if (fsyncPolicy != FsyncPolicy.NEVER) {
      file.getChannel().force(false);
    }
    out.close();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      closeOutput();
      LOG.debug("Closed audit file {} after {} rotations", activeFile, rotations);
    } catch (IOException e) {
      failures.record(null, e);
      throw new AuditException("Closing audit file " + activeFile + " failed: " + e.getMessage(), e, false);
    }
  }

  @Override
  public Path activeFile() {
    return activeFile;
  }

  @Override
  public synchronized long rotationCount() {
    return rotations;
  }

  @Override
  public long failureCount() {
    return failures.count();
  }

  /** A byte buffer whose array can be read without copying. */
  private static final class LineBuffer extends ByteArrayOutputStream {
    LineBuffer() {
      super(1024);
    }

    byte[] array() {
      return buf;
    }
  }
}
