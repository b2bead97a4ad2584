package dev.latchkey.credentials;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An Azure shared access signature: the query string that grants access, such as {@code
 * sv=2025-05-05&se=...&sp=r&sig=...}, without a leading {@code ?}.
 *
 * <p>{@link #id()} is {@code sha256:} followed by a short fingerprint of the whole token. The
 * signature ({@code sig}) is part of the secret and never printed.
 */
public final class SasToken implements Credential {

  private final SecretValue token;
  private final Instant expiresAt;

  private SasToken(SecretValue token, Instant expiresAt) {
    this.token = token;
    this.expiresAt = expiresAt;
  }

  /**
   * Creates a SAS token.
   *
   * @param token the query string, with or without a leading {@code ?}
   * @param expiresAt the signed expiry ({@code se}); {@code null} only when a stored access policy
   *     sets it
   */
  public static SasToken of(SecretValue token, Instant expiresAt) {
    Objects.requireNonNull(token, "token");
    String text = token.reveal();
    if (text.startsWith("?")) {
      token = SecretValue.of(text.substring(1));
    }
    return new SasToken(token, expiresAt);
  }

  /** Returns the query string without a leading {@code ?}. */
  public SecretValue token() {
    return token;
  }

  @Override
  public String id() {
    return "sha256:" + token.fingerprint();
  }

  @Override
  public Optional<Instant> expiresAt() {
    return Optional.ofNullable(expiresAt);
  }

  @Override
  public String toString() {
    return "SasToken[id=" + id() + ", expiresAt=" + (expiresAt == null ? "policy" : expiresAt) + "]";
  }
}
