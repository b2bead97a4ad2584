package dev.latchkey.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * The content of an object to upload: bytes, a file, or a stream of known or unknown length.
 *
 * <p>Bytes and files are repeatable, so a failed upload can be sent again. A stream can be read only
 * once, so an upload from a stream is retried only by parts the backend has buffered itself.
 */
public final class ObjectBody {

  /** The length of a stream whose length is not known in advance. */
  public static final long UNKNOWN_LENGTH = -1;

  private final byte[] bytes;
  private final Path file;
  private final InputStream stream;
  private final long contentLength;

  private ObjectBody(byte[] bytes, Path file, InputStream stream, long contentLength) {
    this.bytes = bytes;
    this.file = file;
    this.stream = stream;
    this.contentLength = contentLength;
  }

  /** Creates a body from bytes, which are copied. */
  public static ObjectBody ofBytes(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    return new ObjectBody(Arrays.copyOf(bytes, bytes.length), null, null, bytes.length);
  }

  /**
   * Creates a body from a file, whose size is read now.
   *
   * @throws UncheckedIOException if the file cannot be read
   */
  public static ObjectBody ofFile(Path file) {
    Objects.requireNonNull(file, "file");
    try {
      return new ObjectBody(null, file, null, Files.size(file));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the size of upload file " + file, e);
    }
  }

  /**
   * Creates a body from a stream, which the upload reads to its end and closes.
   *
   * @param contentLength the number of bytes the stream holds, or {@link #UNKNOWN_LENGTH}; an upload
   *     that reads a different number of bytes fails instead of storing a partial object
   */
  public static ObjectBody ofStream(InputStream stream, long contentLength) {
    Objects.requireNonNull(stream, "stream");
    if (contentLength < UNKNOWN_LENGTH) {
      throw new IllegalArgumentException(
          "Invalid content length " + contentLength + ": pass the byte count or ObjectBody.UNKNOWN_LENGTH");
    }
    return new ObjectBody(null, null, stream, contentLength);
  }

  /** Returns the length in bytes, or {@link #UNKNOWN_LENGTH}. */
  public long contentLength() {
    return contentLength;
  }

  /** Returns whether {@link #openStream()} may be called more than once. */
  public boolean isRepeatable() {
    return stream == null;
  }

  /**
   * Opens the content for reading. For a stream body, returns the stream itself.
   *
   * @throws UncheckedIOException if the file cannot be opened
   */
  public InputStream openStream() {
    if (bytes != null) {
      return new ByteArrayInputStream(bytes);
    }
    if (file != null) {
      try {
        return Files.newInputStream(file);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot open upload file " + file, e);
      }
    }
    return stream;
  }

  /** Returns the bytes of an in-memory body without copying them; {@code null} for other bodies. */
  byte[] bytesOrNull() {
    return bytes;
  }

  @Override
  public String toString() {
    String kind = bytes != null ? "bytes" : file != null ? "file " + file : "stream";
    return "ObjectBody[" + kind + ", contentLength=" + contentLength + "]";
  }
}
