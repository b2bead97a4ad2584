package dev.latchkey.audit;

import dev.latchkey.audit.internal.JsonLinesFileSink;
import dev.latchkey.credentials.SecretValue;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Appends each event as one line of JSON to a file, rotating it by size.
 *
 * <p>The active file is the configured path, such as {@code audit.jsonl}. When the next line would
 * make it larger than {@link Builder#maxFileSize(long)}, it is renamed to {@code audit.jsonl.N}, where
 * {@code N} is one more than the highest number present, so numbers grow from oldest to newest. A
 * crash can leave only the last line of the active file incomplete. On opening, the sink finds such a
 * line, logs it and rotates that file away, so the partial line stays the last line of its file.
 * {@link AuditLogReader} skips it and reports it.
 *
 * <p>With a {@linkplain Builder#hashChain(SecretValue) hash chain key}, each line also carries {@code
 * latchkey.chain.prev}, the HMAC-SHA256 of the line before it (across rotated files), and {@code
 * latchkey.chain.mac}, the HMAC-SHA256 of the line itself; {@link AuditChainVerifier} checks both.
 * The key is never written.
 *
 * <p>Writes are serialized by a lock, so the sink is thread-safe; put it behind an {@link
 * AsyncAuditSink} to keep disk latency out of requests.
 */
public interface JsonLinesAuditSink extends AuditSink {

  /** Returns the path of the file being written. */
  Path activeFile();

  /** Returns how many times the sink rotated the file since it was opened. */
  long rotationCount();

  /**
   * Starts a builder for a sink that writes to {@code activeFile}. Opening the sink creates the
   * file's missing parent directories.
   */
  static Builder builder(Path activeFile) {
    return new Builder(activeFile);
  }

  /** When buffered lines are handed to the operating system. */
  enum FlushPolicy {
    /** After every event. */
    EVERY_EVENT,
    /** Only when {@link AuditSink#flush()} is called (an {@link AsyncAuditSink} calls it after each batch), when the buffer is full, on rotation and on close. */
    ON_FLUSH
  }

  /** When written lines are forced to the storage device ({@code fsync}). */
  enum FsyncPolicy {
    /** Never; the operating system decides. */
    NEVER,
    /** When a file is rotated or the sink is closed. */
    ON_ROTATE,
    /** After every flush, as the {@link FlushPolicy} defines it. */
    EVERY_FLUSH
  }

  /** Builder for {@link JsonLinesAuditSink}; not thread-safe. */
  final class Builder {
    private static final long MIN_FILE_SIZE = 1024;

    private final Path activeFile;
    private long maxFileSize = 64L * 1024 * 1024;
    private int maxRotatedFiles = 20;
    private FlushPolicy flushPolicy = FlushPolicy.EVERY_EVENT;
    private FsyncPolicy fsyncPolicy = FsyncPolicy.ON_ROTATE;
    private SecretValue chainKey;

    private Builder(Path activeFile) {
      this.activeFile = Objects.requireNonNull(activeFile, "activeFile");
      if (activeFile.getFileName() == null) {
        throw new IllegalArgumentException("Invalid audit file '" + activeFile + "': name a file, such as audit.jsonl");
      }
    }

    /**
     * Sets the size in bytes after which the file is rotated; default 64 MiB.
     *
     * @throws IllegalArgumentException if it is less than 1024
     */
    public Builder maxFileSize(long bytes) {
      if (bytes < MIN_FILE_SIZE) {
        throw new IllegalArgumentException("Invalid maxFileSize " + bytes + ": use at least " + MIN_FILE_SIZE + " bytes");
      }
      this.maxFileSize = bytes;
      return this;
    }

    /**
     * Sets how many rotated files are kept; the oldest beyond that are deleted. Default 20; 0 keeps
     * all of them.
     *
     * @throws IllegalArgumentException if it is negative
     */
    public Builder maxRotatedFiles(int count) {
      if (count < 0) {
        throw new IllegalArgumentException("Invalid maxRotatedFiles " + count + ": use 0 (keep all) or more");
      }
      this.maxRotatedFiles = count;
      return this;
    }

    /** Sets when lines are handed to the operating system; default {@link FlushPolicy#EVERY_EVENT}. */
    public Builder flushPolicy(FlushPolicy flushPolicy) {
      this.flushPolicy = Objects.requireNonNull(flushPolicy, "flushPolicy");
      return this;
    }

    /** Sets when lines are forced to the device; default {@link FsyncPolicy#ON_ROTATE}. */
    public Builder fsyncPolicy(FsyncPolicy fsyncPolicy) {
      this.fsyncPolicy = Objects.requireNonNull(fsyncPolicy, "fsyncPolicy");
      return this;
    }

    /**
     * Turns on the hash chain, keyed with {@code key}. Keep the key outside the audit file's host
     * if the chain must resist an attacker who can write the file.
     *
     * @throws IllegalArgumentException if the key is shorter than 16 characters
     */
    public Builder hashChain(SecretValue key) {
      Objects.requireNonNull(key, "key");
      if (key.length() < 16) {
        throw new IllegalArgumentException(
            "Invalid hash chain key of " + key.length() + " characters: use at least 16 random characters");
      }
      this.chainKey = key;
      return this;
    }

    /**
     * Opens the file (creating it and its folder if needed) and recovers from an earlier crash.
     *
     * @throws AuditException if the file cannot be opened
     */
    public JsonLinesAuditSink build() {
      return JsonLinesFileSink.open(activeFile, maxFileSize, maxRotatedFiles, flushPolicy, fsyncPolicy, chainKey);
    }
  }
}
