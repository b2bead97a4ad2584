package dev.latchkey.s3.internal.credentials;

import dev.latchkey.credentials.CredentialException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import okhttp3.Response;
import okhttp3.ResponseBody;

/** Reads HTTP response bodies with an upper bound, so a broken endpoint cannot exhaust memory. */
public final class ResponseBodies {

  /** The maximum size of a credential response body, in bytes: 64 KiB. */
  public static final int MAX_BYTES = 64 * 1024;

  private ResponseBodies() {}

  /**
   * Reads the whole body as UTF-8.
   *
   * @param source the name of the endpoint, for the error message
   * @throws CredentialException if the body is larger than {@link #MAX_BYTES}; not retryable
   * @throws IOException if reading fails
   */
  public static String readUtf8(Response response, String source) throws IOException {
    ResponseBody body = response.body();
    try (InputStream in = body.byteStream()) {
      byte[] bytes = in.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw new CredentialException(
            source + " returned a body larger than " + MAX_BYTES + " bytes; check the endpoint URL",
            false);
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }
}
