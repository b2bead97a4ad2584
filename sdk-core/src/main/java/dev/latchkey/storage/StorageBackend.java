package dev.latchkey.storage;

import java.net.URI;

/**
 * One storage protocol: S3, Azure Blob, or an HTTP storage API of your own.
 *
 * <p>A backend builds the protocol's requests, gets a credential from its cache, signs and sends
 * them, and maps answers to results or {@link StorageException}. It applies no access policy and
 * writes no audit event: {@code StorageClient} does both around it, and learns what was sent from the
 * {@link ExchangeListener} each method takes.
 *
 * <p>The client checks the policy against the container and key exactly as the {@link ObjectRef}
 * contains them, and passes them on unchecked. A backend must therefore address exactly that object,
 * and reject with {@link IllegalArgumentException} a name it cannot send unchanged, such as a {@code
 * .} or {@code ..} segment that its HTTP client would resolve, or a {@code /} in a container name,
 * which would move part of the name into the key. The S3 and Azure Blob backends do.
 *
 * <p>Callers that do not listen pass {@link ExchangeListener#NONE}. The S3 and Azure Blob backends
 * also accept {@code null} there.
 *
 * <p>Implementations are thread-safe. Every method may throw {@link StorageException}; other
 * unchecked exceptions mean a bug or bad input.
 */
public interface StorageBackend extends AutoCloseable {

  /** Returns the URI scheme of this backend's resources, such as {@code s3} or {@code azure}. */
  String scheme();

  /**
   * Returns the name of a container in access policies and audit events, such as {@code s3://bucket}
   * or {@code azure://account/container}. The client appends a slash and the object key as written,
   * without percent-encoding, to name an object: {@code s3://bucket/2026/q1 report.csv}.
   */
  String containerResource(String container);

  /**
   * Downloads an object, or a range of it when {@code range} is not null. The caller closes the
   * result.
   */
  ObjectContent get(ObjectRef ref, ByteRange range, ExchangeListener listener);

  /**
   * Uploads an object. Returns only after the service has stored all of it; on failure nothing is
   * left committed under the key by this call.
   */
  ObjectMetadata put(ObjectRef ref, ObjectBody body, String contentType, ExchangeListener listener);

  /**
   * Uploads an object with its user metadata, with the guarantees of {@link #put(ObjectRef,
   * ObjectBody, String, ExchangeListener)}. A backend that stores user metadata overrides this method
   * and checks the names, values and total size against its service's rules before it sends anything.
   *
   * <p>The default sends a request without user metadata to the four-argument {@code put}, and
   * rejects one with user metadata, so a backend written before this method never drops metadata
   * silently.
   *
   * @throws UnsupportedOperationException if the request has user metadata and the backend does not
   *     store it, before anything is sent
   * @throws IllegalArgumentException if the backend stores user metadata but a name, a value or the
   *     total size breaks its service's rules, before anything is sent
   */
  default ObjectMetadata put(PutRequest request, ExchangeListener listener) {
    if (!request.userMetadata().isEmpty()) {
      throw new UnsupportedOperationException(getClass().getSimpleName() + " does not store user metadata, so the"
          + " upload of '" + request.ref().key() + "' with metadata " + request.userMetadata().keySet()
          + " was not sent. Upload it without user metadata, or override put(PutRequest, ExchangeListener)");
    }
    return put(request.ref(), request.body(), request.contentType(), listener);
  }

  /** Deletes an object. Deleting an object that does not exist succeeds, as in S3. */
  void delete(ObjectRef ref, ExchangeListener listener);

  /** Returns an object's metadata without its content. */
  ObjectMetadata head(ObjectRef ref, ExchangeListener listener);

  /** Returns one page of a listing. */
  ListPage list(ListRequest request, ExchangeListener listener);

  /** Returns a presigned URL, computed locally without a network call. */
  URI presign(PresignRequest request);

  /** Releases the backend's resources; the shared HTTP client is not closed. */
  @Override
  default void close() {}
}
