package dev.latchkey.auth;

import dev.latchkey.credentials.ApiKey;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialNotConfiguredException;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.SecretValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supplies an API key from a fixed value, an environment variable or a file.
 *
 * <p>A file is read again whenever its modification time or size changes, so a rotated key takes
 * effect on the next {@link #fetch()} without a restart; between changes {@code fetch()} only
 * checks the file's attributes. If a changed file is empty or unreadable while an earlier key is
 * held, the earlier key is kept and the problem is logged, because the file may be in the middle of
 * being rewritten. Leading and trailing white space is removed from every key.
 *
 * <p>API keys have no expiry, so a {@link dev.latchkey.credentials.CredentialCache} would hold one
 * until invalidated: call {@code fetch()} directly to follow a rotating file. Thread-safe.
 */
public final class ApiKeyProvider implements CredentialProvider<ApiKey> {

  private static final Logger log = LoggerFactory.getLogger(ApiKeyProvider.class);

  private final SecretValue value;
  private final String variable;
  private final Function<String, String> environment;
  private final Path file;
  private final String label;
  private volatile FileKey fileKey;

  private ApiKeyProvider(Builder builder) {
    this.value = builder.value;
    this.variable = builder.variable;
    this.environment = builder.environment;
    this.file = builder.file;
    this.label = builder.label;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the current API key.
   *
   * @throws CredentialNotConfiguredException if the variable is unset or empty, or the file does not exist
   * @throws CredentialException if the file cannot be read or is empty and no earlier key is held
   *     (retryable)
   */
  @Override
  public ApiKey fetch() {
    if (value != null) {
      return ApiKey.of(value, label, null);
    }
    if (variable != null) {
      return fromEnvironment();
    }
    return fromFile();
  }

  private ApiKey fromEnvironment() {
    String text = environment.apply(variable);
    if (text == null || text.isBlank()) {
      throw new CredentialNotConfiguredException("Environment variable " + variable + " is not set or is empty");
    }
    return ApiKey.of(SecretValue.of(text.strip()), label, null);
  }

  private ApiKey fromFile() {
    BasicFileAttributes attributes = attributes();
    FileKey current = fileKey;
    if (current != null && current.isCurrent(attributes)) {
      return current.key();
    }
    return reload(attributes, current);
  }

  private synchronized ApiKey reload(BasicFileAttributes attributes, FileKey seen) {
    if (fileKey != seen && fileKey.isCurrent(attributes)) {
      return fileKey.key();
    }
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (text.isEmpty()) {
        throw new IOException("the file is empty");
      }
      fileKey = new FileKey(ApiKey.of(SecretValue.of(text), label, null), attributes.lastModifiedTime(), attributes.size());
      log.info("Read API key {} from {}", fileKey.key().id(), file);
      return fileKey.key();
    } catch (IOException e) {
      return keepEarlierKey(seen, e);
    }
  }

  private ApiKey keepEarlierKey(FileKey earlier, IOException failure) {
    if (earlier == null) {
      throw new CredentialException("Cannot read API key file " + file + ": " + failure.getMessage(), failure, true);
    }
    log.warn("Cannot read API key file {} ({}); keeping the earlier key {}", file, failure.getMessage(),
        earlier.key().id());
    return earlier.key();
  }

  private BasicFileAttributes attributes() {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new CredentialNotConfiguredException("API key file " + file + " does not exist");
    } catch (IOException e) {
      throw new CredentialException("Cannot read API key file " + file + ": " + e.getMessage(), e, true);
    }
  }

  @Override
  public String name() {
    if (value != null) {
      return "api-key:static";
    }
    return variable != null ? "api-key:env:" + variable : "api-key:file:" + file;
  }

  @Override
  public String toString() {
    return "ApiKeyProvider[" + name() + (label == null ? "" : ", label=" + label) + "]";
  }

  private record FileKey(ApiKey key, FileTime modified, long size) {
    boolean isCurrent(BasicFileAttributes attributes) {
      return modified.equals(attributes.lastModifiedTime()) && size == attributes.size();
    }
  }

  /** Builder for {@link ApiKeyProvider}; not thread-safe. Set exactly one source. */
  public static final class Builder {
    private SecretValue value;
    private String variable;
    private Function<String, String> environment = System::getenv;
    private Path file;
    private String label;

    private Builder() {}

    /** Uses a fixed key. */
    public Builder value(SecretValue value) {
      this.value = Objects.requireNonNull(value, "value");
      return this;
    }

    /**
     * Reads the key from an environment variable on every fetch.
     *
     * @throws IllegalArgumentException if the name is blank or contains '='
     */
    public Builder environmentVariable(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank() || name.contains("=")) {
        throw new IllegalArgumentException("Invalid environment variable name '" + name + "'");
      }
      this.variable = name;
      return this;
    }

    /** Replaces the process environment, for tests; {@code System.getenv} by default. */
    public Builder environment(Map<String, String> environment) {
      Map<String, String> copy = Map.copyOf(Objects.requireNonNull(environment, "environment"));
      this.environment = copy::get;
      return this;
    }

    /** Reads the key from a file, again whenever the file changes. */
    public Builder file(Path file) {
      this.file = Objects.requireNonNull(file, "file");
      return this;
    }

    /** Sets a non-secret label, such as the key's name at the gateway, used as the key's id in logs. */
    public Builder label(String label) {
      Objects.requireNonNull(label, "label");
      if (label.isBlank()) {
        throw new IllegalArgumentException("Invalid API key label '': pass a name such as 'reports-gateway'");
      }
      this.label = label;
      return this;
    }

    /**
     * Builds the provider.
     *
     * @throws IllegalStateException unless exactly one of value, environment variable and file is set
     */
    public ApiKeyProvider build() {
      int sources = (value != null ? 1 : 0) + (variable != null ? 1 : 0) + (file != null ? 1 : 0);
      if (sources != 1) {
        throw new IllegalStateException("An API key provider needs exactly one of value(...), "
            + "environmentVariable(...) and file(...); " + sources + " are set");
      }
      return new ApiKeyProvider(this);
    }
  }
}
