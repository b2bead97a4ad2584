package dev.latchkey.s3.internal;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.s3.ChunkedUploadSigner;
import dev.latchkey.s3.SigV4Signer;
import dev.latchkey.signing.SignableRequest;
import dev.latchkey.storage.ExchangeListener;
import dev.latchkey.storage.ObjectBody;
import dev.latchkey.storage.ObjectMetadata;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads an object in one of three ways: one signed PUT of a body read into memory, one PUT with
 * chunked signing of a streamed body, or a multipart upload of parts read into memory. A multipart
 * upload is aborted if any step fails.
 *
 * <p>An upload never succeeds with bytes missing: a stream that ends before its declared length, or
 * holds more bytes than declared, fails the upload before S3 commits the object.
 *
 * <p>Thread-safe; each upload uses its own buffers.
 */
public final class S3Uploads {

  /** The smallest part S3 accepts in a multipart upload, but for the last: 5 MiB. */
  public static final int MIN_PART_SIZE = 5 * 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(S3Uploads.class);

  private final S3Transport transport;
  private final long chunkedUploadThreshold;
  private final long multipartThreshold;
  private final int partSize;
  private final int chunkSize;

  public S3Uploads(S3Transport transport, long chunkedUploadThreshold, long multipartThreshold, int partSize,
      int chunkSize) {
    this.transport = transport;
    this.chunkedUploadThreshold = chunkedUploadThreshold;
    this.multipartThreshold = multipartThreshold;
    this.partSize = partSize;
    this.chunkSize = chunkSize;
  }

  /**
   * Uploads {@code body} to {@code uri} with the strategy its length calls for, and sends the content
   * type and the user metadata as signed headers. The caller has checked the metadata with {@link
   * S3UserMetadata#check}.
   */
  public ObjectMetadata put(ObjectRef ref, URI uri, ObjectBody body, String contentType,
      Map<String, String> userMetadata, ExchangeListener listener) {
    ObjectHeaders headers = new ObjectHeaders(contentType, userMetadata);
    long length = body.contentLength();
    if (length != ObjectBody.UNKNOWN_LENGTH && length <= chunkedUploadThreshold) {
      byte[] bytes = readAll(ref, body, length);
      return putBytes(ref, uri, bytes, headers, listener);
    }
    if (length != ObjectBody.UNKNOWN_LENGTH && length < multipartThreshold) {
      return putChunked(ref, uri, body, headers, listener);
    }
    return putMultipart(ref, uri, body, headers, listener);
  }

  private ObjectMetadata putBytes(ObjectRef ref, URI uri, byte[] bytes, ObjectHeaders headers,
      ExchangeListener listener) {
    SignableRequest request = headers.addTo(SignableRequest.builder("PUT", uri)).build();
    try (Response response = transport.execute(request, S3Transport.bytes(bytes), listener)) {
      return uploaded(ref, response.header("ETag"), bytes.length, headers);
    }
  }

  private ObjectMetadata putChunked(ObjectRef ref, URI uri, ObjectBody body, ObjectHeaders headers,
      ExchangeListener listener) {
    SignableRequest request = headers.addTo(SignableRequest.builder("PUT", uri)).build();
    try (Response response = transport.execute(request, new ChunkedBody(ref, body, chunkSize), listener)) {
      return uploaded(ref, response.header("ETag"), body.contentLength(), headers);
    }
  }

  private ObjectMetadata putMultipart(ObjectRef ref, URI uri, ObjectBody body, ObjectHeaders headers,
      ExchangeListener listener) {
    try (InputStream in = body.openStream()) {
      byte[] first = in.readNBytes(partSize);
      if (first.length < partSize) {
        requireLength(ref, body.contentLength(), first.length);
        return putBytes(ref, uri, first, headers, listener);
      }
      return new MultipartUpload(ref, uri, headers, listener).run(first, in, body.contentLength());
    } catch (IOException e) {
      throw new StorageException("Failed to read the upload body of " + describe(ref) + ": " + e.getMessage(),
          0, null, null, e, false);
    }
  }

  /** One multipart upload: initiate, send parts, complete; abort if any step fails. */
  private final class MultipartUpload {
    private final ObjectRef ref;
    private final URI uri;
    private final ObjectHeaders headers;
    private final ExchangeListener listener;
    private final List<String> eTags = new ArrayList<>();
    private String uploadId;

    MultipartUpload(ObjectRef ref, URI uri, ObjectHeaders headers, ExchangeListener listener) {
      this.ref = ref;
      this.uri = uri;
      this.headers = headers;
      this.listener = listener;
    }

    ObjectMetadata run(byte[] first, InputStream in, long declaredLength) throws IOException {
      uploadId = initiate();
      try {
        long total = sendParts(first, in);
        requireLength(ref, declaredLength, total);
        String eTag = complete();
        return uploaded(ref, eTag, total, headers);
      } catch (RuntimeException | IOException e) {
        abort(e);
        throw e;
      }
    }

    private String initiate() throws IOException {
      SignableRequest request = headers.addTo(SignableRequest.builder("POST", withQuery("uploads"))).build();
      try (Response response = transport.execute(request, S3Transport.bytes(null), listener)) {
        String id = S3Xml.firstElementText(S3Xml.readBounded(response.body().byteStream(), 64 * 1024), "UploadId");
        if (id == null || id.isBlank()) {
          throw new IOException("InitiateMultipartUpload response has no UploadId");
        }
        return id;
      }
    }

    private long sendParts(byte[] first, InputStream in) throws IOException {
      byte[] part = first;
      long total = 0;
      while (part.length > 0) {
        eTags.add(sendPart(eTags.size() + 1, part));
        total += part.length;
        part = in.readNBytes(partSize);
      }
      return total;
    }

    private String sendPart(int number, byte[] part) {
      URI partUri = withQuery("partNumber=" + number + "&uploadId=" + UriEncoding.encodeQueryComponent(uploadId));
      SignableRequest request = SignableRequest.builder("PUT", partUri).build();
      try (Response response = transport.execute(request, S3Transport.bytes(part), listener)) {
        String eTag = response.header("ETag");
        if (eTag == null) {
          throw new StorageException("S3 returned part " + number + " of " + describe(ref) + " without an ETag",
              response.code(), null, response.header("x-amz-request-id"), null, true);
        }
        return eTag;
      }
    }

    private String complete() throws IOException {
      URI completeUri = withQuery("uploadId=" + UriEncoding.encodeQueryComponent(uploadId));
      SignableRequest request = SignableRequest.builder("POST", completeUri)
          .addHeader("Content-Type", "application/xml").build();
      byte[] document = S3Xml.completeMultipartUpload(eTags);
      try (Response response = transport.execute(request, S3Transport.bytes(document), listener)) {
        byte[] answer = S3Xml.readBounded(response.body().byteStream(), 64 * 1024);
        // S3 can return 200 and still fail the completion, with an Error document as the body.
        if ("Error".equals(S3Xml.rootElement(answer))) {
          S3Xml.ErrorDocument error = S3Xml.parseError(answer);
          throw new StorageException("S3 failed to complete the multipart upload of " + describe(ref) + ": "
              + error.code() + " " + error.message(), response.code(), error.code(), error.requestId(), null, true);
        }
        return S3Xml.firstElementText(answer, "ETag");
      }
    }

    private void abort(Exception cause) {
      URI abortUri = withQuery("uploadId=" + UriEncoding.encodeQueryComponent(uploadId));
      SignableRequest request = SignableRequest.builder("DELETE", abortUri).build();
      try {
        transport.execute(request, S3Transport.bytes(null), listener).close();
        log.info("Aborted multipart upload of {} after: {}", describe(ref), cause.toString());
      } catch (RuntimeException e) {
        log.warn("Failed to abort multipart upload {} of {}; S3 keeps its parts until a lifecycle rule removes them",
            uploadId, describe(ref), e);
        cause.addSuppressed(e);
      }
    }

    private URI withQuery(String query) {
      return URI.create(uri + "?" + query);
    }
  }

  /**
   * A streamed body signed chunk by chunk. Each signature of the headers makes a new chunk signer,
   * and the body is written with the latest one. So its chunks chain from the seed signature that is
   * sent, also when the request was signed again after the body was created.
   */
  private static final class ChunkedBody implements S3Transport.Body {
    private final ObjectRef ref;
    private final ObjectBody body;
    private final int chunkSize;
    private volatile ChunkedUploadSigner chunks;

    ChunkedBody(ObjectRef ref, ObjectBody body, int chunkSize) {
      this.ref = ref;
      this.body = body;
      this.chunkSize = chunkSize;
    }

    @Override
    public SignableRequest sign(SigV4Signer signer, SignableRequest request, AwsCredentials credentials, Instant time) {
      chunks = signer.signChunkedUpload(request, credentials, time, body.contentLength(), chunkSize);
      return chunks.request();
    }

    @Override
    public RequestBody toRequestBody(SignableRequest signed) {
      return new RequestBody() {
        @Override
        public MediaType contentType() {
          return null;
        }

        @Override
        public long contentLength() {
          return ChunkedUploadSigner.encodedLength(body.contentLength(), chunkSize);
        }

        @Override
        public boolean isOneShot() {
          return !body.isRepeatable();
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
          try (InputStream in = body.openStream()) {
            writeChunks(chunks, in, sink.outputStream());
          }
        }
      };
    }

    private void writeChunks(ChunkedUploadSigner signer, InputStream in, OutputStream out) throws IOException {
      byte[] buffer = new byte[chunkSize];
      long remaining = body.contentLength();
      while (remaining > 0) {
        int expected = (int) Math.min(chunkSize, remaining);
        int read = readSource(in, buffer, expected, body.contentLength() - remaining);
        if (read < expected) {
          throw new S3Transport.BodySourceException("Upload body of " + describe(ref) + " ended after "
              + (body.contentLength() - remaining + read) + " of " + body.contentLength()
              + " declared bytes; nothing was stored", null);
        }
        signer.writeChunk(out, buffer, 0, read);
        remaining -= read;
      }
      if (readSource(in, buffer, 1, body.contentLength()) > 0) {
        throw new S3Transport.BodySourceException("Upload body of " + describe(ref) + " contains more than its declared "
            + body.contentLength() + " bytes; nothing was stored", null);
      }
      signer.writeFinalChunk(out);
    }

    /** Reads up to {@code length} bytes of the caller's body, and marks a failure as the body's, not the network's. */
    private int readSource(InputStream in, byte[] buffer, int length, long offset) throws S3Transport.BodySourceException {
      try {
        return in.readNBytes(buffer, 0, length);
      } catch (IOException e) {
        throw new S3Transport.BodySourceException("Failed to read the upload body of " + describe(ref) + " after "
            + offset + " bytes; nothing was stored: " + e.getMessage(), e);
      }
    }

    @Override
    public boolean isRepeatable() {
      return body.isRepeatable();
    }

    @Override
    public boolean isChunkSigned() {
      return true;
    }

    @Override
    public long length() {
      return body.contentLength();
    }
  }

  private static byte[] readAll(ObjectRef ref, ObjectBody body, long length) {
    try (InputStream in = body.openStream()) {
      byte[] bytes = in.readNBytes((int) length);
      requireLength(ref, length, bytes.length);
      if (in.read() != -1) {
        throw new IllegalArgumentException("Upload body of " + describe(ref) + " contains more than its declared "
            + length + " bytes; pass the exact length or ObjectBody.UNKNOWN_LENGTH");
      }
      return bytes;
    } catch (IOException e) {
      throw new StorageException("Failed to read the upload body of " + describe(ref) + ": " + e.getMessage(),
          0, null, null, e, false);
    }
  }

  private static void requireLength(ObjectRef ref, long declared, long actual) {
    if (declared != ObjectBody.UNKNOWN_LENGTH && declared != actual) {
      throw new IllegalArgumentException("Upload body of " + describe(ref) + " contains " + actual
          + " bytes but declared " + declared + "; nothing was stored");
    }
  }

  private static ObjectMetadata uploaded(ObjectRef ref, String eTag, long size, ObjectHeaders headers) {
    return new ObjectMetadata(ref, size, eTag, headers.contentType(), null, headers.storedUserMetadata());
  }

  /**
   * The headers that describe the object: on a single PUT, or on CreateMultipartUpload, whose
   * headers S3 applies to the completed object.
   */
  private record ObjectHeaders(String contentType, Map<String, String> userMetadata) {
    SignableRequest.Builder addTo(SignableRequest.Builder request) {
      return S3UserMetadata.addHeaders(request.addHeader("Content-Type", contentType), userMetadata);
    }

    /** Returns the metadata as S3 stores it, with lower-case names. */
    Map<String, String> storedUserMetadata() {
      Map<String, String> stored = new HashMap<>();
      userMetadata.forEach((name, value) -> stored.put(name.toLowerCase(Locale.ROOT), value));
      return stored;
    }

    @Override
    public String toString() {
      return "ObjectHeaders[contentType=" + contentType + ", userMetadataNames=" + userMetadata.keySet() + "]";
    }
  }

  private static String describe(ObjectRef ref) {
    return "s3://" + ref.container() + "/" + ref.key();
  }
}
