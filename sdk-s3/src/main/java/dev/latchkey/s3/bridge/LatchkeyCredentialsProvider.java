package dev.latchkey.s3.bridge;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.CredentialException;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Hands the credentials of a Latchkey {@link CredentialCache} to the AWS SDK for Java v2, so an
 * existing {@code S3Client} (or any other SDK client) gets Latchkey's refresh, backoff and
 * diagnostics.
 *
 * <pre>{@code
 * CredentialCache<AwsCredentials> keys = CredentialCache.builder(DefaultAwsCredentialsChain.create()).build();
 * S3Client s3 = S3Client.builder()
 *     .credentialsProvider(LatchkeyCredentialsProvider.create(keys))
 *     .build();
 * }</pre>
 *
 * <p>{@code AwsCredentialsProvider} is also the SDK's {@code IdentityProvider<AwsCredentialsIdentity>},
 * so this class serves both the old and the new SDK signing paths. Every call reads the cache, which
 * returns its held credential without I/O while it is fresh.
 *
 * <p>Note: the SDK does not report a rejected credential back, so this provider cannot invalidate it
 * in the cache; the cache still replaces it before it expires.
 *
 * <p>Immutable and thread-safe. The AWS SDK is an optional dependency of {@code latchkey-s3}: add
 * {@code software.amazon.awssdk:s3} (or {@code auth}) to use this class.
 */
public final class LatchkeyCredentialsProvider implements AwsCredentialsProvider {

  private final CredentialCache<AwsCredentials> cache;

  private LatchkeyCredentialsProvider(CredentialCache<AwsCredentials> cache) {
    this.cache = cache;
  }

  /** Returns a provider backed by {@code cache}; closing the cache is left to its owner. */
  public static LatchkeyCredentialsProvider create(CredentialCache<AwsCredentials> cache) {
    return new LatchkeyCredentialsProvider(Objects.requireNonNull(cache, "cache"));
  }

  /**
   * Returns the cache's current credentials as SDK credentials, with the session token and expiry
   * when they have them.
   *
   * @throws SdkClientException if the cache cannot provide valid credentials; the cause is the
   *     Latchkey {@link CredentialException}
   */
  @Override
  public software.amazon.awssdk.auth.credentials.AwsCredentials resolveCredentials() {
    AwsCredentials credentials;
    try {
      credentials = cache.current();
    } catch (CredentialException e) {
      throw SdkClientException.builder().message("Latchkey could not provide AWS credentials: " + e.getMessage())
          .cause(e).build();
    }
    return toSdk(credentials);
  }

  private static software.amazon.awssdk.auth.credentials.AwsCredentials toSdk(AwsCredentials credentials) {
    String secret = credentials.secretAccessKey().reveal();
    if (credentials.sessionToken().isPresent()) {
      return AwsSessionCredentials.builder()
          .accessKeyId(credentials.accessKeyId())
          .secretAccessKey(secret)
          .sessionToken(credentials.sessionToken().get().reveal())
          .expirationTime(credentials.expiresAt().orElse(null))
          .build();
    }
    // AwsBasicCredentials has no expiry in AWS SDK 2.59, so keys without a session token lose theirs.
    return AwsBasicCredentials.builder()
        .accessKeyId(credentials.accessKeyId())
        .secretAccessKey(secret)
        .build();
  }

  @Override
  public String toString() {
    return "LatchkeyCredentialsProvider[" + cache + "]";
  }
}
