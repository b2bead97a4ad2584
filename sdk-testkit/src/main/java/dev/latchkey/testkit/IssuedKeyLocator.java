package dev.latchkey.testkit;

import dev.latchkey.testkit.internal.PolicyEnforcingBlobStore;
import java.time.Duration;
import java.time.Instant;
import org.gaul.s3proxy.AccessGrant;
import org.gaul.s3proxy.BlobStoreLocator;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The S3Proxy locator of a {@link TestSts}: it grants the root keys full access, and each unexpired
 * issued key access through its session policy. S3Proxy calls it on every request.
 *
 * <p>S3Proxy 4.1.0 responds with 403 {@code InvalidAccessKeyId} when a locator returns {@code null}, which
 * is how unknown and expired keys are rejected. S3 itself responds with 400 {@code ExpiredToken} for an
 * expired session, but S3Proxy has no such error code, and it turns a runtime exception thrown by a
 * locator into 400 {@code InvalidRequest}.
 */
final class IssuedKeyLocator implements BlobStoreLocator {

  private static final Logger log = LoggerFactory.getLogger(IssuedKeyLocator.class);

  private final TestSts sts;
  private final BlobStore store;

  IssuedKeyLocator(TestSts sts, BlobStore store) {
    this.sts = sts;
    this.store = store;
  }

  @Override
  public AccessGrant locateBlobStore(String identity, String container, String blob) {
    if (identity == null) {
      return null;
    }
    String rootSecret = sts.rootKeys().get(identity);
    if (rootSecret != null) {
      return new AccessGrant(rootSecret, store);
    }

    IssuedCredentials credentials = sts.find(identity).orElse(null);
    if (credentials == null) {
      log.debug("S3 request with unknown access key {}", identity);
      return null;
    }
    Instant now = sts.clock().instant();
    if (credentials.isExpiredAt(now)) {
      sts.recordExpiredUse(new ExpiredKeyUse(
          identity, container, blob, now, Duration.between(credentials.expiresAt(), now)));
      return null;
    }

    BlobStore granted = credentials.policy()
        .map(policy -> PolicyEnforcingBlobStore.wrap(store, SessionPolicy.parse(policy)))
        .orElse(store);
    return new AccessGrant(credentials.secretAccessKey(), granted);
  }
}
