package dev.latchkey.azure.internal;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * HMAC-SHA256 (RFC 2104) with one decoded key, returning Base64 signatures as Azure Storage expects
 * them.
 *
 * <p>Signing is on the hot path of every request. The key is hashed into the inner and outer SHA-256
 * states once, when the object is created, and each signature starts from copies of those states:
 * this saves the two compressions of the padded key that {@code javax.crypto.Mac} repeats for every
 * message, and the cost of {@code Mac.getInstance} and {@code init}. Thread-safe: the prepared
 * states are only copied, never updated.
 */
public final class HmacSha256 {

  /** The length of an HMAC-SHA256 value in bytes. */
  public static final int MAC_BYTES = 32;

  private static final int BLOCK_BYTES = 64;

  private final MessageDigest innerStart;
  private final MessageDigest outerStart;

  private HmacSha256(byte[] key) {
    byte[] block = Arrays.copyOf(key.length > BLOCK_BYTES ? sha256().digest(key) : key, BLOCK_BYTES);
    byte[] innerPad = new byte[BLOCK_BYTES];
    byte[] outerPad = new byte[BLOCK_BYTES];
    for (int i = 0; i < BLOCK_BYTES; i++) {
      innerPad[i] = (byte) (block[i] ^ 0x36);
      outerPad[i] = (byte) (block[i] ^ 0x5c);
    }
    this.innerStart = sha256();
    this.innerStart.update(innerPad);
    this.outerStart = sha256();
    this.outerStart.update(outerPad);
    Arrays.fill(block, (byte) 0);
    Arrays.fill(innerPad, (byte) 0);
    Arrays.fill(outerPad, (byte) 0);
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
    return new HmacSha256(decodedKey);
  }

  /** Returns the HMAC-SHA256 of {@code message}. */
  public byte[] sign(byte[] message) {
    MessageDigest inner = copy(innerStart);
    inner.update(message);
    MessageDigest outer = copy(outerStart);
    outer.update(inner.digest());
    return outer.digest();
  }

  /**
   * Writes the HMAC-SHA256 of {@code length} bytes of {@code message} from {@code offset} into the
   * first {@link #MAC_BYTES} bytes of {@code output}.
   */
  public void sign(byte[] message, int offset, int length, byte[] output) {
    MessageDigest inner = copy(innerStart);
    inner.update(message, offset, length);
    MessageDigest outer = copy(outerStart);
    try {
      inner.digest(output, 0, MAC_BYTES);
      outer.update(output, 0, MAC_BYTES);
      outer.digest(output, 0, MAC_BYTES);
    } catch (DigestException e) {
      throw new IllegalArgumentException("Invalid HMAC output array: it needs " + MAC_BYTES + " bytes", e);
    }
  }

  /** Returns the Base64 HMAC-SHA256 of the UTF-8 bytes of {@code text}. */
  public String signBase64(String text) {
    return Base64.getEncoder().encodeToString(sign(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static MessageDigest copy(MessageDigest prepared) {
    try {
      return (MessageDigest) prepared.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("The SHA-256 digest of this JDK cannot be copied", e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
