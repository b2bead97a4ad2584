package dev.latchkey.credentials.providers;

import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.ApiKey;
import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.Credential;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialNotConfiguredException;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.SasToken;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.SharedKey;
import dev.latchkey.credentials.providers.internal.CredentialFields;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a credential from a JSON or properties file, such as a secret that a secret manager or a
 * Kubernetes volume writes and rotates.
 *
 * <p>Each fetch reads the file (at most {@link #MAX_FILE_BYTES}) and parses it again only if its
 * SHA-256 changed, so a rotated secret is picked up on the next fetch without a restart. Wrap the
 * provider in a {@code CredentialCache}: credentials with an expiry are fetched again before they
 * expire, and for static keys set the cache's {@code maxAge} to the longest time a rotation may go
 * unnoticed.
 *
 * <p>Fields, all strings, with instants in ISO-8601 such as {@code 2026-01-01T00:00:00Z}:
 *
 * <ul>
 *   <li>{@link #aws}: {@code accessKeyId}, {@code secretAccessKey}, optional {@code sessionToken} and
 *       {@code expiresAt};
 *   <li>{@link #accessToken}: {@code token}, optional {@code tokenType} (default {@code Bearer}),
 *       {@code expiresAt}, {@code refreshAt}, {@code audience} and {@code scopes} (separated by
 *       spaces, or a JSON array);
 *   <li>{@link #sharedKey}: {@code accountName}, {@code accountKey};
 *   <li>{@link #sasToken}: {@code token}, optional {@code expiresAt};
 *   <li>{@link #apiKey}: {@code key}, optional {@code label} and {@code expiresAt}.
 * </ul>
 *
 * Other fields are ignored.
 *
 * <p>A file that does not exist on the first fetch is {@link CredentialNotConfiguredException not
 * configured}. A file that cannot be read or parsed fails the fetch if no credential was read yet.
 * Once one was, the provider keeps returning that last good credential, logs a warning once per
 * bad version of the file, and reports the problem through {@link #lastError()}, because a file
 * caught half-written during a rotation is usually complete a moment later. Error messages name
 * the file, the field and the position, never file content.
 *
 * <p><b>Note:</b> a half-written properties file can look complete with a truncated value, which no
 * parser can detect. Replace the file by an atomic rename, or prefer JSON, where truncation breaks
 * the syntax.
 *
 * <p>Thread-safe: fetches are serialized.
 *
 * @param <C> the type of credential
 */
public final class FileCredentialProvider<C extends Credential> implements CredentialProvider<C> {

  /** The largest credential file read: 1 MiB. */
  public static final int MAX_FILE_BYTES = 1 << 20;

  /** The file formats. */
  public enum Format {
    /** One JSON object whose fields are strings (and {@code scopes} may be an array). */
    JSON,
    /** A {@link java.util.Properties} file. */
    PROPERTIES
  }

  private static final Logger log = LoggerFactory.getLogger(FileCredentialProvider.class);

  private final Path file;
  private final Format format;
  private final Function<CredentialFields, C> reader;

  private C lastGood;
  private byte[] lastGoodHash;
  private byte[] lastBadHash;
  private CredentialException lastError;

  private FileCredentialProvider(Builder<C> builder, Format format) {
    this.file = builder.file;
    this.format = format;
    this.reader = builder.reader;
  }

  public static Builder<AwsCredentials> aws(Path file) {
    return new Builder<>(file, fields -> {
      String sessionToken = fields.optional("sessionToken");
      return AwsCredentials.builder()
          .accessKeyId(fields.required("accessKeyId"))
          .secretAccessKey(SecretValue.of(fields.required("secretAccessKey")))
          .sessionToken(sessionToken == null ? null : SecretValue.of(sessionToken))
          .expiresAt(fields.instant("expiresAt"))
          .build();
    });
  }

  public static Builder<AccessToken> accessToken(Path file) {
    return new Builder<>(file, fields -> {
      AccessToken.Builder token = AccessToken.builder()
          .token(SecretValue.of(fields.required("token")))
          .scopes(fields.scopes("scopes"))
          .audience(fields.optional("audience"))
          .expiresAt(fields.instant("expiresAt"))
          .refreshAt(fields.instant("refreshAt"));
      String tokenType = fields.optional("tokenType");
      return (tokenType == null ? token : token.tokenType(tokenType)).build();
    });
  }

  public static Builder<SharedKey> sharedKey(Path file) {
    return new Builder<>(file, fields ->
        SharedKey.of(fields.required("accountName"), SecretValue.of(fields.required("accountKey"))));
  }

  public static Builder<SasToken> sasToken(Path file) {
    return new Builder<>(file, fields ->
        SasToken.of(SecretValue.of(fields.required("token")), fields.instant("expiresAt")));
  }

  public static Builder<ApiKey> apiKey(Path file) {
    return new Builder<>(file, fields ->
        ApiKey.of(SecretValue.of(fields.required("key")), fields.optional("label"), fields.instant("expiresAt")));
  }

  /**
   * Returns the credential in the file, or the last good one if the file is now unreadable or
   * invalid.
   *
   * @throws CredentialNotConfiguredException if the file does not exist and none was read before
   * @throws CredentialException if the file cannot be read or parsed and none was read before. The
   *     exception is retryable, because the file may be in the middle of a rotation.
   */
  @Override
  public synchronized C fetch() {
    byte[] content;
    try {
      content = read();
    } catch (CredentialException e) {
      return lastGoodOr(e, null);
    }

    byte[] hash = sha256(content);
    if (lastGood != null && MessageDigest.isEqual(hash, lastGoodHash)) {
      return lastGood;
    }
    try {
      C credential = reader.apply(CredentialFields.parse(content, format, file));
      remember(credential, hash);
      return credential;
    } catch (CredentialException e) {
      return lastGoodOr(e, hash);
    } catch (IllegalArgumentException | IllegalStateException e) {
      return lastGoodOr(new CredentialException(
          "Invalid credential in file " + file + ": " + e.getMessage(), true), hash);
    }
  }

  /** Returns the error of the last fetch that kept the last good credential; empty once the file is good again. */
  public synchronized Optional<CredentialException> lastError() {
    return Optional.ofNullable(lastError);
  }

  public Path file() {
    return file;
  }

  @Override
  public String name() {
    return "file " + file;
  }

  @Override
  public String toString() {
    return "FileCredentialProvider[" + file + ", " + format + "]";
  }

  private byte[] read() {
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new CredentialException("Credential file " + file + " has " + size
            + " bytes, more than the limit of " + MAX_FILE_BYTES + ": point the provider at the credential file", false);
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CredentialNotConfiguredException("Credential file " + file + " does not exist");
    } catch (IOException e) {
      throw new CredentialException("Cannot read credential file " + file + " ("
          + e.getClass().getSimpleName() + "): check that it exists and is readable by this process", e, true);
    }
  }

  private void remember(C credential, byte[] hash) {
    boolean rotated = lastGood != null;
    lastGood = credential;
    lastGoodHash = hash;
    lastBadHash = null;
    lastError = null;
    log.info("{} credential {} from file {}", rotated ? "Reloaded" : "Loaded", credential.id(), file);
  }

  /**
   * Returns the last good credential and records {@code error}, or throws {@code error} if there is
   * none. Logs once per bad version of the file ({@code badHash}), or on every fetch when the file
   * could not be read at all ({@code badHash} null).
   */
  private C lastGoodOr(CredentialException error, byte[] badHash) {
    if (lastGood == null) {
      throw error;
    }
    boolean alreadyReported = badHash != null && lastBadHash != null && MessageDigest.isEqual(badHash, lastBadHash);
    lastBadHash = badHash;
    lastError = error;
    if (!alreadyReported) {
      log.warn("Keeping credential {} because credential file {} is unusable: {}",
          lastGood.id(), file, error.getMessage());
    }
    return lastGood;
  }

  private static byte[] sha256(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** Builder for {@link FileCredentialProvider}; not thread-safe. */
  public static final class Builder<C extends Credential> {
    private final Path file;
    private final Function<CredentialFields, C> reader;
    private Format format;

    private Builder(Path file, Function<CredentialFields, C> reader) {
      this.file = Objects.requireNonNull(file, "file");
      this.reader = reader;
    }

    /** Sets the format; by default it follows the file name's extension, {@code .json} or {@code .properties}. */
    public Builder<C> format(Format format) {
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    /**
     * Builds the provider. The file is not read until the first fetch.
     *
     * @throws IllegalStateException if no format was set and the file name ends neither in {@code
     *     .json} nor in {@code .properties}
     */
    public FileCredentialProvider<C> build() {
      return new FileCredentialProvider<>(this, format != null ? format : formatOf(file));
    }

    private static Format formatOf(Path file) {
      String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
      if (name.endsWith(".json")) {
        return Format.JSON;
      }
      if (name.endsWith(".properties")) {
        return Format.PROPERTIES;
      }
      throw new IllegalStateException("Cannot tell the format of credential file " + file
          + " from its name: call format(Format.JSON) or format(Format.PROPERTIES)");
    }
  }
}
