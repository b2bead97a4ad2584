package dev.latchkey.azure.internal;

import dev.latchkey.credentials.SecretValue;
import java.util.Base64;

/**
 * The HMAC of the Base64 key used last, so repeated signing with one key skips decoding it and
 * setting up HMAC. Thread-safe: a race only makes two threads build the same HMAC.
 */
public final class KeyedHmac {

  private volatile Entry last;

  /** Returns the HMAC for a Base64 key, reusing the previous one if the key is the same. */
  public HmacSha256 forBase64Key(SecretValue base64Key) {
    Entry cached = last;
    if (cached != null && (cached.key == base64Key || cached.key.equals(base64Key))) {
      return cached.mac;
    }
    HmacSha256 mac = HmacSha256.of(Base64.getDecoder().decode(base64Key.reveal()));
    last = new Entry(base64Key, mac);
    return mac;
  }

  private record Entry(SecretValue key, HmacSha256 mac) {}
}
