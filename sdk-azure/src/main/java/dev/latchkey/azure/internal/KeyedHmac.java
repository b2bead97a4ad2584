package dev.latchkey.azure.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.latchkey.credentials.SecretValue;
import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.Base64;

/**
 * The prepared HMAC of each Base64 key in use (account keys and user delegation keys), so signing
 * with a key again skips decoding it and setting up HMAC.
 *
 * <p>The cache key is the {@link SecretValue} object itself, compared by identity and held weakly:
 * the key text is never a map key, and an entry goes away with its secret. A different object with
 * the same text gets an entry of its own. The key used last is checked first, without a map
 * lookup. Thread-safe: a race only makes two threads prepare the same HMAC.
 */
public final class KeyedHmac {

  /** Upper bound on cached keys; a process rarely signs with more than a handful at a time. */
  private static final int MAX_KEYS = 1_000;

  private static final Cache<SecretValue, HmacSha256> KEYS =
      Caffeine.newBuilder().weakKeys().maximumSize(MAX_KEYS).build();

  private static volatile Last last = new Last(new WeakReference<>(null), null);

  private KeyedHmac() {}

  /**
   * Returns the HMAC for a Base64 key.
   *
   * @throws IllegalArgumentException if the key is not Base64 or decodes to no bytes
   */
  public static HmacSha256 forBase64Key(SecretValue base64Key) {
    Last cached = last;
    if (cached.key.get() == base64Key) {
      return cached.hmac;
    }
    HmacSha256 hmac = KEYS.get(base64Key, KeyedHmac::prepare);
    last = new Last(new WeakReference<>(base64Key), hmac);
    return hmac;
  }

  private static HmacSha256 prepare(SecretValue base64Key) {
    byte[] decoded = Base64.getDecoder().decode(base64Key.reveal());
    try {
      return HmacSha256.of(decoded);
    } finally {
      Arrays.fill(decoded, (byte) 0);
    }
  }

  private record Last(WeakReference<SecretValue> key, HmacSha256 hmac) {}
}
