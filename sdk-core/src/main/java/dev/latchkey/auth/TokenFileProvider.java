package dev.latchkey.auth;

import dev.latchkey.auth.jose.JoseException;
import dev.latchkey.auth.jose.Jws;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialNotConfiguredException;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.SecretValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * Reads a token from a file on every {@link #fetch()}, such as a Kubernetes projected
 * service-account token, which the kubelet rewrites before it expires.
 *
 * <p>Use it as the subject token of a {@link TokenExchangeProvider}, the assertion of a {@link
 * JwtBearerProvider}, or a {@link ClientAuthentication#clientAssertion client assertion}. Leading
 * and trailing white space is removed. If the token is a JWT, its {@code exp} claim becomes the
 * expiry; the signature is not checked, because the token is only passed on to its issuer's
 * relying party. Thread-safe.
 */
public final class TokenFileProvider implements CredentialProvider<AccessToken> {

  private final Path file;

  private TokenFileProvider(Path file) {
    this.file = file;
  }

  /** Creates a provider that reads {@code file}; the file need not exist yet. */
  public static TokenFileProvider of(Path file) {
    return new TokenFileProvider(Objects.requireNonNull(file, "file"));
  }

  public Path file() {
    return file;
  }

  /**
   * Reads the token.
   *
   * @throws CredentialNotConfiguredException if the file does not exist
   * @throws CredentialException if it cannot be read (retryable) or is empty (retryable, since it
   *     may be in the middle of being rewritten)
   */
  @Override
  public AccessToken fetch() {
    String token = read().strip();
    if (token.isEmpty()) {
      throw new CredentialException("Token file " + file + " is empty; it may be in the middle of being rewritten", true);
    }
    return AccessToken.builder()
        .token(SecretValue.of(token))
        .expiresAt(jwtExpiry(token))
        .build();
  }

  private String read() {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new CredentialNotConfiguredException("Token file " + file + " does not exist");
    } catch (IOException e) {
      throw new CredentialException("Cannot read token file " + file + ": " + e.getClass().getSimpleName(), e, true);
    }
  }

  /** Returns the {@code exp} of a JWT, or {@code null} if the token is not a JWT with a numeric one. */
  private static Instant jwtExpiry(String token) {
    try {
      Object exp = Jws.parse(token).claims().get("exp");
      return exp instanceof Number seconds ? Instant.ofEpochSecond(seconds.longValue()) : null;
    } catch (JoseException e) {
      return null;
    }
  }

  @Override
  public String name() {
    return "token-file:" + file;
  }

  @Override
  public String toString() {
    return "TokenFileProvider[" + file + "]";
  }
}
