package dev.latchkey.testkit.internal;

import dev.latchkey.testkit.SessionPolicy;
import dev.latchkey.testkit.SessionPolicy.Action;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * Wraps an S3Proxy {@link BlobStore} so that each call is checked against a session policy first; a
 * call the policy does not allow fails with S3 {@code AccessDenied}.
 *
 * <p>Object reads (including HEAD) need {@code s3:GetObject}, writes and multipart uploads {@code
 * s3:PutObject}, deletes {@code s3:DeleteObject}, and listings {@code s3:ListBucket} with the list
 * prefix as {@code s3:prefix}. Bucket changes are always denied; other calls, such as the bucket
 * existence checks S3Proxy makes on its own, pass.
 */
public final class PolicyEnforcingBlobStore implements InvocationHandler {

  private static final Set<String> READS = Set.of(
      "getBlob", "blobMetadata", "blobMetadataIfPresent", "getBlobAccess", "getBlobAcl");
  private static final Set<String> WRITES = Set.of("putBlob", "copyBlob", "setBlobAccess",
      "initiateMultipartUpload", "uploadMultipartPart", "completeMultipartUpload", "abortMultipartUpload",
      "copyMultipartPart");
  private static final Set<String> BUCKET_CHANGES = Set.of("createContainer", "deleteBucket",
      "deleteContainer", "setContainerAccess", "clearContainer", "putBucketVersioning",
      "putBucketEncryption", "deleteBucketEncryption");

  private final BlobStore target;
  private final SessionPolicy policy;

  private PolicyEnforcingBlobStore(BlobStore target, SessionPolicy policy) {
    this.target = target;
    this.policy = policy;
  }

  /** Returns {@code target} seen through {@code policy}. */
  public static BlobStore wrap(BlobStore target, SessionPolicy policy) {
    return (BlobStore) Proxy.newProxyInstance(BlobStore.class.getClassLoader(), new Class<?>[] {BlobStore.class},
        new PolicyEnforcingBlobStore(target, policy));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    check(method.getName(), args == null ? new Object[0] : args);
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private void check(String name, Object[] args) {
    if (BUCKET_CHANGES.contains(name)) {
      throw denied(name + " is not allowed by the session policy");
    }
    if (READS.contains(name)) {
      require(Action.GET_OBJECT, args);
    } else if (WRITES.contains(name)) {
      require(Action.PUT_OBJECT, args);
    } else if (name.equals("removeBlob")) {
      require(Action.DELETE_OBJECT, args);
    } else if (name.equals("removeBlobs") && args[0] instanceof DeleteObjectsRequest request) {
      for (ObjectIdentifier object : request.delete().objects()) {
        requireAllowed(Action.DELETE_OBJECT, request.bucket(), object.key());
      }
    } else if (name.equals("list") || name.equals("listV1")) {
      checkList(args);
    }
  }

  private void checkList(Object[] args) {
    if (args.length == 0) {
      throw denied("listing buckets is not allowed by the session policy");
    }
    if (args[0] instanceof ListObjectsV2Request request) {
      requireAllowed(Action.LIST_BUCKET, request.bucket(), request.prefix() == null ? "" : request.prefix());
    } else if (args[0] instanceof ListObjectsRequest request) {
      requireAllowed(Action.LIST_BUCKET, request.bucket(), request.prefix() == null ? "" : request.prefix());
    } else if (args[0] instanceof String bucket) {
      requireAllowed(Action.LIST_BUCKET, bucket, "");
    }
  }

  private void require(Action action, Object[] args) {
    String[] target = bucketAndKey(args);
    if (target == null) {
      throw denied(action.iamName() + " on an unrecognized request is not allowed");
    }
    requireAllowed(action, target[0], target[1]);
  }

  private void requireAllowed(Action action, String bucket, String key) {
    if (!policy.allows(action, bucket, key)) {
      throw denied(action.iamName() + " on " + bucket + "/" + key + " is not allowed by the session policy");
    }
  }

  private static String[] bucketAndKey(Object[] args) {
    if (args.length >= 2 && args[0] instanceof String bucket && args[1] instanceof String key) {
      return new String[] {bucket, key};
    }
    if (args.length >= 1 && args[0] instanceof MultipartUpload upload) {
      return new String[] {upload.containerName(), upload.blobName()};
    }
    if (args.length >= 1 && args[0] != null) {
      String bucket = accessor(args[0], "bucket", "destinationBucket");
      String key = accessor(args[0], "key", "destinationKey");
      return bucket == null || key == null ? null : new String[] {bucket, key};
    }
    return null;
  }

  /** Reads the first of the named accessors that the AWS SDK request type has. */
  private static String accessor(Object request, String... names) {
    for (String name : names) {
      try {
        Object value = request.getClass().getMethod(name).invoke(request);
        if (value instanceof String text) {
          return text;
        }
      } catch (ReflectiveOperationException e) {
        // This request type has no such accessor; try the next name.
      }
    }
    return null;
  }

  private static S3ProxyException denied(String message) {
    return new S3ProxyException(S3ErrorCode.ACCESS_DENIED, message);
  }
}
