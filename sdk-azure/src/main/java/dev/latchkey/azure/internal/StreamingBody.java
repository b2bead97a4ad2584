package dev.latchkey.azure.internal;

import dev.latchkey.storage.ObjectBody;
import java.io.IOException;
import java.io.InputStream;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;
import okio.Okio;
import okio.Source;

/**
 * A request body that streams a repeatable {@link ObjectBody} (bytes or a file) of known length,
 * opening it again for each attempt. The media type is left out: the backend sends {@code
 * Content-Type} as a header of its own, because it is part of the Shared Key signature.
 */
public final class StreamingBody extends RequestBody {

  private final ObjectBody body;
  private final long length;

  public StreamingBody(ObjectBody body, long length) {
    if (!body.isRepeatable()) {
      throw new IllegalArgumentException("A streaming request body needs a repeatable body, not " + body);
    }
    this.body = body;
    this.length = length;
  }

  @Override
  public MediaType contentType() {
    return null;
  }

  @Override
  public long contentLength() {
    return length;
  }

  @Override
  public void writeTo(BufferedSink sink) throws IOException {
    try (InputStream in = body.openStream(); Source source = Okio.source(in)) {
      long written = 0;
      long read;
      while ((read = source.read(sink.getBuffer(), 8192)) != -1) {
        written += read;
        if (written > length) {
          throw new IOException("Upload body " + body + " contains more than the " + length + " bytes it declared");
        }
        sink.emitCompleteSegments();
      }
      if (written != length) {
        throw new IOException("Upload body " + body + " contained " + written + " bytes, not the " + length + " it declared");
      }
    }
  }
}
