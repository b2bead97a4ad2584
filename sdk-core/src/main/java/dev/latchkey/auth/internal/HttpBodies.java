package dev.latchkey.auth.internal;

import java.io.IOException;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/** Reads response bodies up to a limit, so a huge or endless body cannot exhaust memory. */
final class HttpBodies {

  private HttpBodies() {}

  /**
   * Returns the body bytes.
   *
   * @throws BodyTooLargeException if the body is longer than {@code maxBytes}; at most {@code
   *     maxBytes + 1} bytes are read
   * @throws IOException if reading fails or the body is cut off
   */
  static byte[] read(ResponseBody body, int maxBytes) throws IOException {
    if (body.contentLength() > maxBytes) {
      throw new BodyTooLargeException(maxBytes);
    }
    BufferedSource source = body.source();
    if (source.request(maxBytes + 1L)) {
      throw new BodyTooLargeException(maxBytes);
    }
    return source.readByteArray();
  }

  /** A body is longer than the limit. */
  static final class BodyTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTooLargeException(int maxBytes) {
      super("the body is longer than the limit of " + maxBytes + " bytes");
    }
  }
}
