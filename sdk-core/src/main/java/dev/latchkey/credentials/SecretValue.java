package dev.latchkey.credentials;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A secret string (a key, a client secret, a token) that masks itself.
 *
 * <p>{@link #toString()} prints a fixed mask, so a secret that ends up in a log line, an exception
 * message or a debugger view by accident is not disclosed. The value is read only through {@link
 * #reveal()}, which makes every use easy to find. The class is deliberately not {@link
 * java.io.Serializable}.
 *
 * <p>Instances are immutable and thread-safe. {@link #equals(Object)} compares in constant time.
 */
public final class SecretValue {

  /** The text that {@link #toString()} prints in place of any secret. */
  public static final String MASK = "****";

  private final String value;

  private SecretValue(String value) {
    this.value = value;
  }

  /**
   * Wraps a secret.
   *
   * @throws IllegalArgumentException if {@code value} is empty
   * @throws NullPointerException if {@code value} is null
   */
  public static SecretValue of(String value) {
    Objects.requireNonNull(value, "secret value");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("A secret value must not be empty");
    }
    return new SecretValue(value);
  }

  /** Returns the secret itself. Call it only where the secret is sent to its issuer or signs. */
  public String reveal() {
    return value;
  }

  /** Returns the secret encoded as UTF-8, in a new array the caller owns. */
  public byte[] revealUtf8() {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  /** Returns the number of characters of the secret. */
  public int length() {
    return value.length();
  }

  /**
   * Returns a short, non-reversible identifier of the secret: the first 12 hex digits of its
   * SHA-256. It tells two secrets apart in logs and audit events without disclosing either.
   */
  public String fingerprint() {
    return sha256Hex(value).substring(0, 12);
  }

  static String sha256Hex(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof SecretValue secret)) {
      return false;
    }
    return MessageDigest.isEqual(revealUtf8(), secret.revealUtf8());
  }

  @Override
  public int hashCode() {
    return fingerprint().hashCode();
  }

  @Override
  public String toString() {
    return MASK;
  }
}
