package dev.latchkey.s3;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.s3.internal.SigV4Engine;
import dev.latchkey.signing.SignableRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;

/**
 * Signs the chunks of one {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD} upload, which lets a client
 * sign a large body as it streams instead of hashing it before sending.
 *
 * <p>The body on the wire is a series of chunks, each {@code hex(size);chunk-signature=SIG\r\n},
 * the data and {@code \r\n}, ending with a chunk of size 0. Each chunk's signature covers its data and
 * the previous signature, starting from the seed signature of the request headers, so the service
 * rejects a body whose chunks were changed, reordered or cut short. Created by {@link
 * SigV4Signer#signChunkedUpload}.
 *
 * <p>Not thread-safe: write the chunks in order from one thread.
 */
public final class ChunkedUploadSigner {

  /** The smallest chunk size S3 accepts for every chunk but the last: 8 KiB. */
  public static final int MIN_CHUNK_SIZE = 8 * 1024;

  private static final int SIGNATURE_LENGTH = 64;
  private static final byte[] SIGNATURE_PREFIX = ";chunk-signature=".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CRLF = {'\r', '\n'};

  private final SignableRequest request;
  private final Mac mac;
  private final MessageDigest sha256;
  private final String amzDate;
  private final String scope;
  private final long decodedContentLength;
  private final int chunkSize;
  private String previousSignature;
  private long bytesSigned;
  private boolean finished;

  private ChunkedUploadSigner(SignableRequest request, Mac mac, SigV4Engine.Trace trace,
      long decodedContentLength, int chunkSize) {
    this.request = request;
    this.mac = mac;
    this.sha256 = newSha256();
    this.amzDate = trace.amzDate;
    this.scope = trace.scope;
    this.previousSignature = trace.signature;
    this.decodedContentLength = decodedContentLength;
    this.chunkSize = chunkSize;
  }

  static ChunkedUploadSigner start(SigV4Engine engine, SignableRequest request, AwsCredentials credentials,
      Instant signingTime, long decodedContentLength, int chunkSize) {
    if (decodedContentLength < 0) {
      throw new IllegalArgumentException("Invalid decoded content length " + decodedContentLength
          + ": a chunked upload needs the object size in bytes; use a multipart upload for unknown lengths");
    }
    if (chunkSize < MIN_CHUNK_SIZE) {
      throw new IllegalArgumentException(
          "Invalid chunk size " + chunkSize + ": use at least " + MIN_CHUNK_SIZE + " bytes (8 KiB)");
    }
    SignableRequest streaming = request.toBuilder()
        .setHeader("x-amz-content-sha256", SigV4Engine.STREAMING_PAYLOAD)
        .setHeader("Content-Encoding", "aws-chunked")
        .setHeader("x-amz-decoded-content-length", Long.toString(decodedContentLength))
        .setHeader("Content-Length", Long.toString(encodedLength(decodedContentLength, chunkSize)))
        .body(null)
        .build();
    SigV4Engine.Trace trace = new SigV4Engine.Trace();
    SignableRequest signed = engine.signHeaders(streaming, credentials, signingTime, trace);
    Mac mac = engine.newKeyedMac(credentials, trace.amzDate.substring(0, 8));
    return new ChunkedUploadSigner(signed, mac, trace, decodedContentLength, chunkSize);
  }

  /**
   * Returns the length of the encoded body for an object of {@code decodedContentLength} bytes sent
   * in chunks of {@code chunkSize} bytes: the value of {@code Content-Length}.
   */
  public static long encodedLength(long decodedContentLength, int chunkSize) {
    long fullChunks = decodedContentLength / chunkSize;
    int lastChunk = (int) (decodedContentLength % chunkSize);
    long length = fullChunks * chunkOverhead(chunkSize) + decodedContentLength;
    if (lastChunk > 0) {
      length += chunkOverhead(lastChunk);
    }
    return length + chunkOverhead(0);
  }

  private static int chunkOverhead(int size) {
    return Integer.toHexString(size).length() + SIGNATURE_PREFIX.length + SIGNATURE_LENGTH + 2 * CRLF.length;
  }

  /** Returns the signed request headers to send with the encoded body. */
  public SignableRequest request() {
    return request;
  }

  /** Returns the number of object bytes per chunk; every chunk but the last must have exactly this many. */
  public int chunkSize() {
    return chunkSize;
  }

  /**
   * Signs {@code data[offset, offset + length)} as the next chunk and writes the framed chunk to
   * {@code out}.
   *
   * @throws IllegalStateException if the chunks would exceed the declared decoded length, or a chunk
   *     other than the last is not exactly {@link #chunkSize()} bytes
   */
  public void writeChunk(OutputStream out, byte[] data, int offset, int length) throws IOException {
    checkChunk(length);
    String signature = signChunk(data, offset, length);
    writeFrame(out, length, signature);
    out.write(data, offset, length);
    out.write(CRLF);
    bytesSigned += length;
  }

  /**
   * Signs and writes the final, empty chunk.
   *
   * @throws IllegalStateException if fewer bytes were written than the declared decoded length
   */
  public void writeFinalChunk(OutputStream out) throws IOException {
    if (bytesSigned != decodedContentLength) {
      throw new IllegalStateException("Chunked upload ended after " + bytesSigned + " of "
          + decodedContentLength + " declared bytes: the upload would store a truncated object");
    }
    String signature = signChunk(new byte[0], 0, 0);
    writeFrame(out, 0, signature);
    out.write(CRLF);
    finished = true;
  }

  /** Returns whether the final chunk has been written. */
  public boolean isFinished() {
    return finished;
  }

  String signChunk(byte[] data, int offset, int length) {
    sha256.update(data, offset, length);
    String chunkHash = HexFormat.of().formatHex(sha256.digest());
    previousSignature = SigV4Engine.chunkSignature(mac, amzDate, scope, previousSignature, chunkHash);
    return previousSignature;
  }

  private void checkChunk(int length) {
    if (finished) {
      throw new IllegalStateException("Chunked upload already finished: no chunk may follow the final one");
    }
    if (length <= 0 || bytesSigned + length > decodedContentLength) {
      throw new IllegalStateException("Invalid chunk of " + length + " bytes after " + bytesSigned
          + ": the upload declared " + decodedContentLength + " bytes");
    }
    boolean last = bytesSigned + length == decodedContentLength;
    if (!last && length != chunkSize) {
      throw new IllegalStateException("Invalid chunk of " + length + " bytes: every chunk but the last must hold "
          + chunkSize + " bytes, as the encoded Content-Length assumed");
    }
  }

  private static void writeFrame(OutputStream out, int length, String signature) throws IOException {
    out.write(Integer.toHexString(length).getBytes(StandardCharsets.US_ASCII));
    out.write(SIGNATURE_PREFIX);
    out.write(signature.getBytes(StandardCharsets.US_ASCII));
    out.write(CRLF);
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  @Override
  public String toString() {
    return "ChunkedUploadSigner[" + request + ", chunkSize=" + chunkSize + ", bytesSigned=" + bytesSigned
        + " of " + decodedContentLength + "]";
  }
}
