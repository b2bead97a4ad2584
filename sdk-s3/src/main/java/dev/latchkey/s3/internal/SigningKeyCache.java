package dev.latchkey.s3.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.latchkey.credentials.AwsCredentials;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SigV4 signing keys derived for one region and service, per credential and date.
 *
 * <p>Deriving a key takes four HMAC-SHA256 operations, so keys are cached in a bounded Caffeine
 * cache. The cache key is the credential object itself, compared by identity and held weakly: the
 * secret is never a map key, and an entry goes away with its credential. Each entry keeps the key of
 * one date, the date of the most recent signature with that credential.
 *
 * <p>Thread-safe.
 */
public final class SigningKeyCache {

  /** Upper bound on cached credentials; a process rarely signs with more than a handful. */
  private static final int MAX_CREDENTIALS = 1_000;

  private final String region;
  private final String service;
  private final Cache<AwsCredentials, SigningKey> keys =
      Caffeine.newBuilder().weakKeys().maximumSize(MAX_CREDENTIALS).build();

  public SigningKeyCache(String region, String service) {
    this.region = region;
    this.service = service;
  }

  /** Returns the signing key for the credential and date ({@code yyyyMMdd}), deriving it on a miss. */
  public SigningKey key(AwsCredentials credentials, String dateStamp, Mac scratchMac) {
    SigningKey cached = keys.getIfPresent(credentials);
    if (cached != null && cached.dateStamp().equals(dateStamp)) {
      return cached;
    }
    SigningKey derived = new SigningKey(dateStamp, derive(credentials, dateStamp, scratchMac));
    keys.put(credentials, derived);
    return derived;
  }

  private byte[] derive(AwsCredentials credentials, String dateStamp, Mac mac) {
    byte[] secret = ("AWS4" + credentials.secretAccessKey().reveal()).getBytes(StandardCharsets.UTF_8);
    byte[] dateKey = hmac(mac, secret, dateStamp);
    byte[] regionKey = hmac(mac, dateKey, region);
    byte[] serviceKey = hmac(mac, regionKey, service);
    return hmac(mac, serviceKey, "aws4_request");
  }

  static byte[] hmac(Mac mac, byte[] key, String data) {
    try {
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 rejected a derived SigV4 key", e);
    }
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  /** Returns a new HmacSHA256 instance; every Java 17 runtime has one. */
  public static Mac newHmacSha256() {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }

  /**
   * A derived signing key for one date. The key bytes are secret: the record prints only the date.
   *
   * @param dateStamp the date of the credential scope, {@code yyyyMMdd}
   * @param key the 32-byte key; callers must not modify it
   */
  public record SigningKey(String dateStamp, byte[] key) {
    @Override
    public String toString() {
      return "SigningKey[dateStamp=" + dateStamp + "]";
    }
  }
}
