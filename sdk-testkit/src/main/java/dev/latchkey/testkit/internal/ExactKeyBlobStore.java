package dev.latchkey.testkit.internal;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectAclRequest;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Wraps an S3Proxy 4.1.0 {@link BlobStore} whose keys are file paths, so that every key S3 accepts
 * is stored and listed exactly.
 *
 * <p>S3Proxy's {@code transient} and {@code filesystem} stores map a key to a file with {@code
 * Path.resolve(key).normalize()}, which drops empty segments, resolves {@code .} and {@code ..},
 * rejects a leading slash, and turns a key ending in {@code /} into an empty directory. A key such as
 * {@code a/b} is a file there, so {@code a/b/c} cannot be stored next to it. This wrapper hands the
 * store an encoded name instead: {@link #MARKER} in front of the key and after each {@code /}, and
 * {@link #END} after the key. No segment of that name is empty, {@code .} or {@code ..}, the name
 * never ends in {@code /}, and the file of a key never has the name of the directory of a longer key.
 * The encoding maps a prefix of a key (without {@code END}) to a prefix of its name and keeps the
 * order of keys, so the store's prefix, delimiter and start-after handling still apply. Keys in
 * listings, multipart uploads and responses are decoded.
 *
 * <p>NOTE: a list delimiter that contains {@link #MARKER} would split names between a {@code /} and
 * its marker, so such a listing is rejected. A list prefix that ends in U+0001 also matches the key
 * without it, and keys that contain U+0000 may be listed out of order. XML 1.0 cannot contain
 * either character, so an S3 listing cannot return such keys unless it is URL-encoded. Continuation
 * tokens are the store's tokens in Base64url.
 */
public final class ExactKeyBlobStore extends ForwardingBlobStore {

  /**
   * The character in front of every encoded segment, U+E000 from the Private Use Area. Keys may
   * contain it too, because decoding drops only the one at the start and the one after each {@code /}.
   */
  public static final char MARKER = '\uE000';

  /**
   * The character after every encoded key: U+0001, the lowest character a Unix file name may contain, so
   * that a key sorts before the longer keys that start with it, as in S3.
   */
  public static final char END = '\u0001';

  public ExactKeyBlobStore(BlobStore delegate) {
    super(delegate);
  }

  /** Returns the name under which the wrapped store keeps {@code key}. */
  static String encode(String key) {
    StringBuilder out = new StringBuilder(key.length() + 8).append(MARKER);
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      out.append(c);
      if (c == '/') {
        out.append(MARKER);
      }
    }
    return out.append(END).toString();
  }

  /** Returns the encoded form of a list prefix, which is its name without {@link #END}. */
  static String encodePrefix(String prefix) {
    String name = encode(prefix);
    return name.substring(0, name.length() - 1);
  }

  /**
   * Returns the key of an encoded name, or the prefix of an encoded prefix, such as a common prefix
   * that ends in {@code /}. A name without the leading marker was not written through this wrapper and is
   * returned as it is.
   */
  static String decode(String name) {
    if (name == null || name.isEmpty() || name.charAt(0) != MARKER) {
      return name;
    }
    int end = name.charAt(name.length() - 1) == END ? name.length() - 1 : name.length();
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 1; i < end; i++) {
      char c = name.charAt(i);
      out.append(c);
      if (c == '/' && i + 1 < end && name.charAt(i + 1) == MARKER) {
        i++;
      }
    }
    return out.toString();
  }

  private static String encodeOrNull(String key) {
    return key == null ? null : encode(key);
  }

  private static List<CommonPrefix> decodePrefixes(List<CommonPrefix> prefixes) {
    return prefixes.stream().map(p -> p.toBuilder().prefix(decode(p.prefix())).build()).toList();
  }

  @Override
  public boolean blobExists(String container, String key) {
    return delegate().blobExists(container, encode(key));
  }

  @Override
  public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
    return delegate().putBlob(request.toBuilder().key(encode(request.key())).build(), content);
  }

  @Override
  public CopyObjectResponse copyBlob(CopyObjectRequest request) {
    return delegate().copyBlob(request.toBuilder().sourceKey(encode(request.sourceKey()))
        .destinationKey(encode(request.destinationKey())).build());
  }

  @Override
  public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
    return delegate().blobMetadata(request.toBuilder().key(encode(request.key())).build());
  }

  @Override
  public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
    return delegate().getBlob(request.toBuilder().key(encode(request.key())).build());
  }

  @Override
  public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
    return delegate().removeBlob(request.toBuilder().key(encode(request.key())).build());
  }

  private static void checkDelimiter(String delimiter) {
    if (delimiter != null && delimiter.indexOf(MARKER) >= 0) {
      throw new IllegalArgumentException("Invalid delimiter: U+E000 is reserved by ExactKeyBlobStore."
          + " Use a delimiter without it");
    }
  }

  @Override
  public ListObjectsV2Response list(ListObjectsV2Request request) {
    checkDelimiter(request.delimiter());
    String prefix = request.prefix() == null ? null : encodePrefix(request.prefix());
    ListObjectsV2Response response = delegate().list(request.toBuilder().prefix(prefix)
        .startAfter(request.startAfter() == null ? null : encode(request.startAfter()))
        .continuationToken(fromToken(request.continuationToken())).build());
    List<S3Object> contents = response.contents().stream()
        .map(object -> object.toBuilder().key(decode(object.key())).build()).toList();
    return response.toBuilder().contents(contents).commonPrefixes(decodePrefixes(response.commonPrefixes()))
        .prefix(request.prefix()).startAfter(request.startAfter()).continuationToken(request.continuationToken())
        .nextContinuationToken(toToken(response.nextContinuationToken())).build();
  }

  /**
   * Returns the continuation token for a client: the store's token, an encoded name, in Base64url,
   * because {@link #END} cannot be written in XML 1.0.
   */
  private static String toToken(String storeToken) {
    return storeToken == null ? null
        : Base64.getUrlEncoder().withoutPadding().encodeToString(storeToken.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Returns the store's token for a client's continuation token.
   *
   * @throws IllegalArgumentException if the token is not Base64url, so this wrapper did not issue it
   */
  private static String fromToken(String token) {
    if (token == null) {
      return null;
    }
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid continuation token '" + token + "': pass the token of the last listing",
          e);
    }
  }

  @Override
  public ListObjectVersionsResponse listVersions(ListObjectVersionsRequest request) {
    checkDelimiter(request.delimiter());
    ListObjectVersionsResponse response = delegate().listVersions(request.toBuilder()
        .prefix(request.prefix() == null ? null : encodePrefix(request.prefix()))
        .keyMarker(encodeOrNull(request.keyMarker())).build());
    List<ObjectVersion> versions = response.versions().stream()
        .map(version -> version.toBuilder().key(decode(version.key())).build()).toList();
    List<DeleteMarkerEntry> markers = response.deleteMarkers().stream()
        .map(marker -> marker.toBuilder().key(decode(marker.key())).build()).toList();
    return response.toBuilder().versions(versions).deleteMarkers(markers)
        .commonPrefixes(decodePrefixes(response.commonPrefixes())).prefix(request.prefix())
        .keyMarker(request.keyMarker()).nextKeyMarker(decode(response.nextKeyMarker())).build();
  }

  @Override
  public ObjectCannedACL getBlobAccess(String container, String key) {
    return delegate().getBlobAccess(container, encode(key));
  }

  @Override
  public ObjectCannedACL getBlobAccess(String container, String key, String versionId) {
    return delegate().getBlobAccess(container, encode(key), versionId);
  }

  @Override
  public GetObjectAclResponse getBlobAcl(GetObjectAclRequest request) {
    return delegate().getBlobAcl(request.toBuilder().key(encode(request.key())).build());
  }

  @Override
  public void setBlobAccess(String container, String key, ObjectCannedACL access) {
    delegate().setBlobAccess(container, encode(key), access);
  }

  @Override
  public void setBlobAccess(String container, String key, ObjectCannedACL access, String versionId) {
    delegate().setBlobAccess(container, encode(key), access, versionId);
  }

  @Override
  public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
    MultipartUpload stored = delegate().initiateMultipartUpload(
        request.toBuilder().key(encode(request.key())).build());
    CreateMultipartUploadResponse response = stored.response() == null ? null
        : stored.response().toBuilder().key(request.key()).build();
    return new MultipartUpload(stored.id(), request, response);
  }

  @Override
  public void abortMultipartUpload(MultipartUpload upload) {
    delegate().abortMultipartUpload(encode(upload));
  }

  @Override
  public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload,
      CompleteMultipartUploadRequest request) {
    CompleteMultipartUploadRequest encoded = request.key() == null ? request
        : request.toBuilder().key(encode(request.key())).build();
    CompleteMultipartUploadResponse response = delegate().completeMultipartUpload(encode(upload), encoded);
    return response.toBuilder().key(decode(response.key())).build();
  }

  @Override
  public UploadPartResponse uploadMultipartPart(MultipartUpload upload, UploadPartRequest request,
      InputStream content) {
    UploadPartRequest encoded = request.key() == null ? request
        : request.toBuilder().key(encode(request.key())).build();
    return delegate().uploadMultipartPart(encode(upload), encoded, content);
  }

  @Override
  public List<Part> listMultipartUpload(MultipartUpload upload) {
    return delegate().listMultipartUpload(encode(upload));
  }

  @Override
  public List<software.amazon.awssdk.services.s3.model.MultipartUpload> listMultipartUploads(String container) {
    return delegate().listMultipartUploads(container).stream()
        .map(upload -> upload.toBuilder().key(decode(upload.key())).build()).toList();
  }

  private static MultipartUpload encode(MultipartUpload upload) {
    CreateMultipartUploadRequest request = upload.request().toBuilder().key(encode(upload.request().key())).build();
    CreateMultipartUploadResponse response = upload.response() == null ? null
        : upload.response().toBuilder().key(encodeOrNull(upload.response().key())).build();
    return new MultipartUpload(upload.id(), request, response);
  }
}
