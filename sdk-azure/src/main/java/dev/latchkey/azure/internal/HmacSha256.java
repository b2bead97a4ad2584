package dev.latchkey.azure.internal;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 with one decoded key, returning Base64 signatures as Azure Storage expects them.
 *
 * <p>Signing is on the hot path of every request, so each thread keeps its own {@link Mac} already
 * initialized with the key: {@code Mac.getInstance} and {@code init} cost more than the HMAC itself.
 * Thread-safe.
 */
public final class HmacSha256 {

  private final SecretKeySpec key;
  private final ThreadLocal<Mac> macs;

  private HmacSha256(byte[] decodedKey) {
    this.key = new SecretKeySpec(decodedKey, "HmacSHA256");
    this.macs = ThreadLocal.withInitial(this::newMac);
  }

  /**
   * Creates a signer for a decoded key.
   *
   * @throws IllegalArgumentException if the key is empty
   */
  public static HmacSha256 of(byte[] decodedKey) {
    if (decodedKey.length == 0) {
      throw new IllegalArgumentException("Invalid HMAC key: it is empty; pass the decoded account key");
    }
    return new HmacSha256(decodedKey.clone());
  }

  /** Returns the Base64 HMAC-SHA256 of the UTF-8 bytes of {@code text}. */
  public String signBase64(String text) {
    byte[] digest = macs.get().doFinal(text.getBytes(StandardCharsets.UTF_8));
    return Base64.getEncoder().encodeToString(digest);
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }
}
