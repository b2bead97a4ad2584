package dev.latchkey.azure.sas;

import dev.latchkey.azure.internal.KeyedHmac;
import dev.latchkey.azure.internal.SasQuery;
import dev.latchkey.credentials.SasToken;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.SharedKey;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
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

  private static final KeyedHmac HMAC = new KeyedHmac();

  private final SasGrant grant;
  private final Set<AccountSasService> services;
  private final Set<AccountSasResourceType> resourceTypes;
  private final Set<AccountSasPermission> permissions;

  private AccountSas(Builder builder) {
    this.grant = builder.grant.build();
    this.services = EnumSet.copyOf(builder.services);
    this.resourceTypes = EnumSet.copyOf(builder.resourceTypes);
    this.permissions = EnumSet.copyOf(builder.permissions);
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
    String signature = HMAC.forBase64Key(key.accountKey()).signBase64(stringToSign(key.accountName(), window));
    SasQuery query = new SasQuery().add("sv", grant.version())
        .add("ss", AccountSasService.toLetters(services)).add("srt", AccountSasResourceType.toLetters(resourceTypes))
        .add("sp", AccountSasPermission.toLetters(permissions))
        .add("st", window.start()).add("se", window.expiry())
        .add("sip", grant.ipRange()).add("spr", grant.protocolValue())
        .add("ses", grant.encryptionScope()).add("sig", signature);
    return SasToken.of(SecretValue.of(query.toString()), window.expiryInstant());
  }

  /** Returns the string to sign for the given times; for tests and diagnostics. */
  String stringToSign(String accountName, SasGrant.Window window) {
    SignedFields fields = new SignedFields().add(accountName)
        .add(AccountSasPermission.toLetters(permissions)).add(AccountSasService.toLetters(services))
        .add(AccountSasResourceType.toLetters(resourceTypes)).add(window.start()).add(window.expiry())
        .add(grant.ipRange()).add(grant.protocolValue()).add(grant.version());
    if (grant.version().compareTo(ENCRYPTION_SCOPE_VERSION) >= 0) {
      fields.add(grant.encryptionScope());
    }
    return fields.add(null).toString();
  }

  /**
   * Builder for {@link AccountSas}; not thread-safe. Defaults: version {@code 2025-11-05}, {@code
   * spr=https}, a skew margin of 5 minutes, the system clock.
   */
  public static final class Builder {
    private final SasGrant.Builder grant = SasGrant.builder();
    private Set<AccountSasService> services = Set.of();
    private Set<AccountSasResourceType> resourceTypes = Set.of();
    private Set<AccountSasPermission> permissions = Set.of();

    private Builder() {}

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

    /** Sets the expiry ({@code se}) as an instant; exclusive with {@link #lifetime}. */
    public Builder expiresOn(Instant expiresOn) {
      grant.expiresOn(expiresOn);
      return this;
    }

    /** Sets the expiry as a time after signing, from 1 second to 7 days; exclusive with {@link #expiresOn}. */
    public Builder lifetime(Duration lifetime) {
      grant.lifetime(lifetime);
      return this;
    }

    /** Sets a fixed start ({@code st}) in place of the signing time moved back by the skew margin. */
    public Builder startsOn(Instant startsOn) {
      grant.startsOn(startsOn);
      return this;
    }

    /** Sets how far before the signing time the SAS starts, from 0 to 1 hour; 5 minutes by default. */
    public Builder skewMargin(Duration margin) {
      grant.skewMargin(margin);
      return this;
    }

    /** Sets the clock that gives the signing time; the system clock by default. */
    public Builder clock(InstantSource clock) {
      grant.clock(clock);
      return this;
    }

    /** Sets the protocols ({@code spr}); {@link SasProtocol#HTTPS_ONLY} by default. */
    public Builder protocol(SasProtocol protocol) {
      grant.protocol(protocol);
      return this;
    }

    /** Restricts the SAS to one IPv4 address or a range such as {@code 10.0.0.1-10.0.0.9} ({@code sip}). */
    public Builder ipRange(String ipRange) {
      grant.ipRange(ipRange);
      return this;
    }

    /** Sets the service version ({@code sv}), 2015-04-05 or later. */
    public Builder version(String version) {
      grant.version(version);
      return this;
    }

    /** Sets the encryption scope ({@code ses}); needs version 2020-12-06 or later. */
    public Builder encryptionScope(String encryptionScope) {
      grant.encryptionScope(encryptionScope);
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
      if (grant.version().compareTo(OLDEST_VERSION) < 0) {
        throw new IllegalStateException(
            "Invalid SAS version " + grant.version() + " for an account SAS: use " + OLDEST_VERSION + " or later");
      }
      grant.checkVersionOptions(OLDEST_VERSION, ENCRYPTION_SCOPE_VERSION);
      return new AccountSas(this);
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
