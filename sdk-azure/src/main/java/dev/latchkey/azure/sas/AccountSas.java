package dev.latchkey.azure.sas;

import dev.latchkey.azure.internal.KeyedHmac;
import dev.latchkey.azure.internal.SigningBuffer;
import dev.latchkey.credentials.SasToken;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.SharedKey;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * An account SAS: access to services and kinds of resource of a whole storage account, signed with
 * an account key.
 *
 * <p>The string to sign has every field of the layout of the chosen version ({@code sv}), from
 * Microsoft's "Create an account SAS" reference: from 2015-04-05 the account, {@code sp}, {@code ss},
 * {@code srt}, {@code st}, {@code se}, {@code sip}, {@code spr} and {@code sv}; from 2020-12-06 also
 * {@code ses}; each layout ends with a newline. Prefer a service or user delegation SAS ({@link
 * BlobSas}), which grants one container or blob. Immutable and thread-safe.
 */
public final class AccountSas {

  static final String OLDEST_VERSION = "2015-04-05";
  static final String ENCRYPTION_SCOPE_VERSION = "2020-12-06";

  private final SasGrant grant;
  private final String services;
  private final String resourceTypes;
  private final String permissions;
  private final boolean hasEncryptionScope;

  private AccountSas(Builder builder, SasGrant grant) {
    this.grant = grant;
    this.services = AccountSasService.toLetters(builder.services);
    this.resourceTypes = AccountSasResourceType.toLetters(builder.resourceTypes);
    this.permissions = AccountSasPermission.toLetters(builder.permissions);
    this.hasEncryptionScope = grant.version().compareTo(ENCRYPTION_SCOPE_VERSION) >= 0;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Signs the SAS with an account key.
   *
   * @throws IllegalStateException if the expiry is not after the current time
   */
  public SasToken sign(SharedKey key) {
    Objects.requireNonNull(key, "key");
    SasGrant.Window window = grant.window(null, null);
    SigningBuffer buffer = SigningBuffer.current();
    writeStringToSign(buffer, key.accountName(), window);
    buffer.signAndClear(KeyedHmac.forBase64Key(key.accountKey()));
    buffer.append("sv=").appendQueryComponent(grant.version()).appendQueryParameter("ss", services)
        .appendQueryParameter("srt", resourceTypes).appendQueryParameter("sp", permissions);
    window.writeQuery(buffer);
    buffer.appendQueryParameter("sip", grant.ipRange()).appendQueryParameter("spr", grant.protocolValue())
        .appendQueryParameter("ses", grant.encryptionScope()).append("&sig=").appendSignature();
    return SasToken.of(SecretValue.of(buffer.toStringAndWipe()), window.expiryInstant());
  }

  /** Returns the string to sign for the given times; for tests and diagnostics. */
  String stringToSign(String accountName, SasGrant.Window window) {
    SigningBuffer buffer = SigningBuffer.current();
    writeStringToSign(buffer, accountName, window);
    return buffer.toString();
  }

  /**
   * Writes the account, {@code sp}, {@code ss}, {@code srt}, {@code st}, {@code se}, {@code sip},
   * {@code spr}, {@code sv}, from 2020-12-06 {@code ses}, and a final newline.
   */
  private void writeStringToSign(SigningBuffer buffer, String accountName, SasGrant.Window window) {
    buffer.append(accountName).appendField(permissions).appendField(services).appendField(resourceTypes)
        .append('\n');
    window.writeFields(buffer);
    buffer.appendField(grant.ipRange()).appendField(grant.protocolValue()).appendField(grant.version());
    if (hasEncryptionScope) {
      buffer.appendField(grant.encryptionScope());
    }
    buffer.append('\n');
  }

  /**
   * Builder for {@link AccountSas}; not thread-safe. Defaults: version {@code 2025-11-05}, {@code
   * spr=https}, a skew margin of 5 minutes, the system clock.
   */
  public static final class Builder extends SasBuilderBase<Builder> {
    private Set<AccountSasService> services = Set.of();
    private Set<AccountSasResourceType> resourceTypes = Set.of();
    private Set<AccountSasPermission> permissions = Set.of();

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /** Sets the services ({@code ss}). */
    public Builder services(Set<AccountSasService> services) {
      this.services = nonEmpty("services", services);
      return this;
    }

    /** Sets the kinds of resource ({@code srt}). */
    public Builder resourceTypes(Set<AccountSasResourceType> resourceTypes) {
      this.resourceTypes = nonEmpty("resourceTypes", resourceTypes);
      return this;
    }

    /** Sets the permissions ({@code sp}); they are written in canonical order. */
    public Builder permissions(Set<AccountSasPermission> permissions) {
      this.permissions = nonEmpty("permissions", permissions);
      return this;
    }










    /**
     * Builds the SAS grant.
     *
     * @throws IllegalStateException if services, resource types, permissions or the expiry are
     *     missing, or an option needs a newer version
     */
    public AccountSas build() {
      if (services.isEmpty() || resourceTypes.isEmpty() || permissions.isEmpty() || !grant.hasExpiry()) {
        throw new IllegalStateException("An account SAS needs services, resource types, permissions and an expiry:"
            + " call services(...), resourceTypes(...), permissions(...) and lifetime(...) or expiresOn(...)");
      }
      SasGrant built = grant.build();
      if (built.version().compareTo(OLDEST_VERSION) < 0) {
        throw new IllegalStateException(
            "Invalid SAS version " + built.version() + " for an account SAS: use " + OLDEST_VERSION + " or later");
      }
      built.checkVersionOptions(OLDEST_VERSION, ENCRYPTION_SCOPE_VERSION);
      return new AccountSas(this, built);
    }

    private static <E extends Enum<E>> Set<E> nonEmpty(String option, Set<E> values) {
      Objects.requireNonNull(values, option);
      if (values.isEmpty()) {
        throw new IllegalArgumentException("Invalid SAS " + option + " []: name at least one");
      }
      return EnumSet.copyOf(values);
    }
  }
}
