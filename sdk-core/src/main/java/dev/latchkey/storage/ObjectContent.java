package dev.latchkey.storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A downloaded object: its metadata and a stream of its bytes. Close it to release the connection.
 *
 * <p>Not thread-safe: read the stream from one thread.
 */
public final class ObjectContent implements Closeable {

  private final ObjectMetadata metadata;
  private final InputStream stream;

  public ObjectContent(ObjectMetadata metadata, InputStream stream) {
    this.metadata = Objects.requireNonNull(metadata, "metadata");
    this.stream = Objects.requireNonNull(stream, "stream");
  }

  public ObjectMetadata metadata() {
    return metadata;
  }

  /** Returns the object's bytes, or the requested range of them. */
  public InputStream stream() {
    return stream;
  }

  @Override
  public void close() throws IOException {
    stream.close();
  }
}
