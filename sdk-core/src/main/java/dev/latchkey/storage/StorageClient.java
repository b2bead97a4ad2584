package dev.latchkey.storage;

import dev.latchkey.credentials.WorkloadIdentity;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Reads and writes objects for one workload identity, with Latchkey's checks around every call.
 *
 * <p>Each call runs the same steps in this order: the access policy decides (a denied call throws
 * {@link dev.latchkey.policy.AccessDeniedException} and never reaches the network); the backend gets
 * a valid credential from its cache, signs and sends the request; retryable failures of idempotent
 * calls are retried with jittered backoff (see {@link RetryPolicy}); and an audit event is written
 * for the access decision and for every HTTP exchange, retries included.
 *
 * <p>Create one with {@link #builder()} and share it: implementations are thread-safe. Close it to
 * release the backend; a shared OkHttp client passed to the builder is not closed.
 */
public interface StorageClient extends AutoCloseable {

  static StorageClientBuilder builder() {
    return new StorageClientBuilder();
  }

  /** Returns the identity this client acts as. */
  WorkloadIdentity identity();

  /**
   * Downloads an object into memory. A body that is cut off or shorter than the service announced is
   * a retryable failure, and is downloaded again under the {@link RetryPolicy}.
   *
   * @throws StorageException if the object does not exist ({@link StorageException#isNotFound()}) or
   *     the service fails, or if fewer bytes arrive than the service announced on the last attempt
   */
  byte[] getBytes(ObjectRef ref);

  /** Downloads an object as a stream; the caller closes the result. */
  ObjectContent get(ObjectRef ref);

  /**
   * Downloads a range of an object as a stream; the caller closes the result. The metadata's {@link
   * ObjectMetadata#size()} is the size of the whole object. A range whose last byte lies past the end
   * returns the bytes up to the end.
   *
   * <p>Note: a range that the service cannot satisfy fails with a {@link StorageException} with
   * status 416. S3Proxy 4.1.0 rejects every range that starts at or after the end, which includes every
   * range of an empty object. Azurite 3.35 rejects a range that starts after the end, but returns no
   * bytes for one that starts exactly at the end and for {@code bytes=0-0} of an empty blob.
   */
  ObjectContent get(ObjectRef ref, ByteRange range);

  /**
   * Downloads an object to a file. The bytes go to a temporary file beside {@code target}, which
   * replaces {@code target} only once the download is complete, so a failed download leaves no
   * partial file under the target name, and an existing file stays as it was. A body that is cut off
   * is a retryable failure, and is downloaded again under the {@link RetryPolicy}.
   *
   * @throws StorageException if the object does not exist or the service fails, or if the body is
   *     cut off on the last attempt
   * @throws UncheckedIOException if the directory of {@code target} does not exist or the file
   *     cannot be written; such a failure is not retried
   */
  ObjectMetadata getToFile(ObjectRef ref, Path target);

  /** Uploads bytes as an object. */
  ObjectMetadata put(ObjectRef ref, byte[] content, String contentType);

  /**
   * Uploads an object from bytes, a file or a stream. The call returns only once the service has
   * stored all of it; when it fails, nothing is left committed under the key by this call.
   *
   * @param contentType the media type sent as {@code Content-Type}, or {@code null} for the
   *     backend's default; printable ASCII characters and tabs only
   * @throws IllegalArgumentException if {@code contentType} contains a control character (such as CR
   *     or LF) or a character outside ASCII, before the policy is checked or anything is sent
   */
  ObjectMetadata put(ObjectRef ref, ObjectBody body, String contentType);

  /**
   * Uploads an object with user metadata, with the checks and guarantees of {@link #put(ObjectRef,
   * ObjectBody, String)}. The backend checks the metadata against its service's rules (see {@link
   * PutRequest}) before it sends anything. The access policy evaluates the action, resource, size
   * and content type as for any upload, but not the metadata. Audit events never contain metadata
   * values, and name a metadata entry only in the error message of an upload rejected for it.
   *
   * <p>The default implementation passes a request without user metadata to {@link #put(ObjectRef,
   * ObjectBody, String)} and rejects one with user metadata. The client from {@link #builder()}
   * overrides it and passes the metadata to the backend.
   *
   * @throws IllegalArgumentException if {@code contentType} or the metadata breaks a rule, before
   *     anything is sent
   * @throws UnsupportedOperationException if the backend does not store user metadata, before
   *     anything is sent
   */
  default ObjectMetadata put(PutRequest request) {
    if (!request.userMetadata().isEmpty()) {
      throw new UnsupportedOperationException(getClass().getSimpleName() + " does not upload user metadata, so '"
          + request.ref().key() + "' was not sent. Upload it without user metadata");
    }
    return put(request.ref(), request.body(), request.contentType());
  }

  /** Deletes an object; deleting one that does not exist succeeds. */
  void delete(ObjectRef ref);

  /** Returns an object's metadata without its content. */
  ObjectMetadata head(ObjectRef ref);

  /**
   * Lists the objects of a container whose keys start with {@code prefix}. Pages are fetched lazily
   * as the stream is consumed, each one checked against the policy and audited.
   */
  Stream<ListPage.ObjectSummary> list(String container, String prefix);

  /** Lists objects page by page, with a delimiter or page size of the caller's choice. */
  Stream<ListPage> listPages(ListRequest request);

  /**
   * Returns a presigned URL, computed locally. The policy is checked for the action the URL grants:
   * {@link PresignRequest.Method#GET} needs {@code READ}, {@link PresignRequest.Method#PUT} needs
   * {@code WRITE}.
   *
   * <p>Note: a backend whose credential is a token it cannot narrow may return a URL that grants
   * more, or reject the call. {@code BlobBackend} with a SAS token credential rejects it unless its
   * builder's {@code presignWithSasToken()} allows URLs that carry that token as it is, with its own
   * permissions, resource and expiry, such as read, write and delete on the whole container.
   */
  URI presign(PresignRequest request);

  /**
   * Closes the backend. Calling it again does nothing. After it, every operation except {@link
   * #identity()} throws {@link IllegalStateException} before the policy, the credentials or the
   * network are used, and so does a listing stream consumed after the close.
   */
  @Override
  void close();
}
