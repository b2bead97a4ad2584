package dev.latchkey.azure.sas;

import dev.latchkey.azure.internal.KeyedHmac;
import dev.latchkey.azure.internal.SasQuery;
import dev.latchkey.azure.internal.SasTimes;
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
 * A shared access signature for one blob, container or directory of Blob Storage: signed with an
 * account key it is a service SAS, signed with a {@link UserDelegationKey} a user delegation SAS.
 *
 * <p>Build the grant once with {@link #builder()}, then call {@link #sign(SharedKey)} or {@link
 * #sign(String, UserDelegationKey)} as often as needed; each call reads the clock again. The string
 * to sign has every field of the layout of the chosen version ({@code sv}), from Microsoft's "Create
 * a service SAS" and "Create a user delegation SAS" references:
 *
 * <ul>
 *   <li>service SAS: 2013-08-15 (no {@code sip}, {@code spr} and {@code /blob} prefix), 2015-04-05,
 *       2018-11-09 (adds {@code sr} and the snapshot time) and 2020-12-06 and later (adds {@code ses});
 *   <li>user delegation SAS: 2018-11-09, 2020-02-10 (adds {@code saoid}, {@code suoid}, {@code scid}),
 *       2020-12-06 (adds {@code ses}) and 2025-07-05 and later (adds {@code skdutid}, {@code sduoid}).
 * </ul>
 *
 * <p>Times: the start ({@code st}) is the signing time moved back by the skew margin, so a server
 * whose clock is slightly behind accepts the SAS at once. A user delegation SAS never starts before
 * or expires after its key. Immutable and thread-safe.
 */
public final class BlobSas {

  static final String V2015_04_05 = "2015-04-05";
  static final String V2018_11_09 = "2018-11-09";
  static final String V2020_02_10 = "2020-02-10";
  static final String V2020_12_06 = "2020-12-06";
  static final String V2025_07_05 = "2025-07-05";
  static final String OLDEST_VERSION = "2013-08-15";

  private static final KeyedHmac HMAC = new KeyedHmac();

  private final SasGrant grant;
  private final SasResource resource;
  private final String permissionLetters;
  private final String identifier;
  private final String snapshot;
  private final ResponseHeaders headers;
  private final DelegationFields delegation;

  private BlobSas(Builder builder) {
    this.grant = builder.grant.build();
    this.resource = builder.resource;
    this.permissionLetters = BlobSasPermission.toLetters(builder.permissions);
    this.identifier = builder.identifier;
    this.snapshot = builder.snapshot;
    this.headers = builder.headers.build();
    this.delegation = builder.delegation;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Signs a service SAS with an account key.
   *
   * @throws IllegalStateException if the expiry is not after the current time
   */
  public SasToken sign(SharedKey key) {
    Objects.requireNonNull(key, "key");
    SasGrant.Window window = grant.window(null, null);
    String stringToSign = serviceStringToSign(key.accountName(), window);
    String signature = HMAC.forBase64Key(key.accountKey()).signBase64(stringToSign);
    return token(query(window, null).add("sig", signature), window);
  }

  /**
   * Signs a user delegation SAS with a key from {@link UserDelegationKeyClient}. The SAS starts no
   * earlier and expires no later than the key.
   *
   * @param accountName the storage account that issued the key
   * @throws IllegalStateException if the key has expired or the SAS would expire before it starts
   */
  public SasToken sign(String accountName, UserDelegationKey key) {
    Objects.requireNonNull(accountName, "accountName");
    Objects.requireNonNull(key, "key");
    if (grant.version().compareTo(V2018_11_09) < 0) {
      throw new IllegalStateException("Invalid SAS version " + grant.version()
          + " for a user delegation SAS: use " + V2018_11_09 + " or later");
    }
    SasGrant.Window window = grant.window(key.signedStart(), key.signedExpiry());
    String stringToSign = delegationStringToSign(accountName, key, window);
    String signature = HMAC.forBase64Key(key.value()).signBase64(stringToSign);
    return token(query(window, key).add("sig", signature), window);
  }

  /** Returns the service SAS string to sign for the given times; for tests and diagnostics. */
  String serviceStringToSign(String accountName, SasGrant.Window window) {
    String version = grant.version();
    SignedFields fields = new SignedFields()
        .add(permissionLetters()).add(window.start()).add(window.expiry())
        .add(canonicalName(accountName, version)).add(identifier);
    if (version.compareTo(V2015_04_05) >= 0) {
      fields.add(grant.ipRange()).add(grant.protocolValue());
    }
    fields.add(version);
    if (version.compareTo(V2018_11_09) >= 0) {
      fields.add(resource.code()).add(snapshot);
    }
    if (version.compareTo(V2020_12_06) >= 0) {
      fields.add(grant.encryptionScope());
    }
    return headers.addTo(fields).toString();
  }

  /** Returns the user delegation SAS string to sign for the given key and times. */
  String delegationStringToSign(String accountName, UserDelegationKey key, SasGrant.Window window) {
    String version = grant.version();
    SignedFields fields = new SignedFields()
        .add(permissionLetters()).add(window.start()).add(window.expiry())
        .add(canonicalName(accountName, version))
        .add(key.signedObjectId()).add(key.signedTenantId())
        .add(SasTimes.format(key.signedStart())).add(SasTimes.format(key.signedExpiry()))
        .add(key.signedService()).add(key.signedVersion());
    if (version.compareTo(V2020_02_10) >= 0) {
      fields.add(delegation.preauthorizedAgentObjectId()).add(delegation.agentObjectId())
          .add(delegation.correlationId());
    }
    if (version.compareTo(V2025_07_05) >= 0) {
      // The delegated user's tenant (skdutid) comes from a key requested for that tenant, which
      // UserDelegationKeyClient does not request, so it is always empty here.
      fields.add(null).add(delegation.delegatedUserObjectId());
    }
    fields.add(grant.ipRange()).add(grant.protocolValue()).add(version).add(resource.code()).add(snapshot);
    if (version.compareTo(V2020_12_06) >= 0) {
      fields.add(grant.encryptionScope());
    }
    return headers.addTo(fields).toString();
  }

  SasGrant grant() {
    return grant;
  }

  private SasQuery query(SasGrant.Window window, UserDelegationKey key) {
    SasQuery query = new SasQuery().add("sv", grant.version()).add("sr", resource.code());
    if (resource.kind() == SasResource.Kind.DIRECTORY) {
      query.add("sdd", Integer.toString(resource.depth()));
    }
    query.add("st", window.start()).add("se", window.expiry()).add("sp", permissionLetters());
    if (grant.version().compareTo(V2015_04_05) >= 0) {
      query.add("sip", grant.ipRange()).add("spr", grant.protocolValue());
    }
    query.add("si", identifier);
    if (key != null) {
      addDelegation(query, key);
    }
    query.add("ses", grant.encryptionScope());
    return headers.addTo(query);
  }

  private void addDelegation(SasQuery query, UserDelegationKey key) {
    query.add("skoid", key.signedObjectId()).add("sktid", key.signedTenantId())
        .add("skt", SasTimes.format(key.signedStart())).add("ske", SasTimes.format(key.signedExpiry()))
        .add("sks", key.signedService()).add("skv", key.signedVersion());
    if (grant.version().compareTo(V2020_02_10) >= 0) {
      query.add("saoid", delegation.preauthorizedAgentObjectId).add("suoid", delegation.agentObjectId)
          .add("scid", delegation.correlationId);
    }
    if (grant.version().compareTo(V2025_07_05) >= 0) {
      query.add("sduoid", delegation.delegatedUserObjectId);
    }
  }

  private static SasToken token(SasQuery query, SasGrant.Window window) {
    return SasToken.of(SecretValue.of(query.toString()), window.expiryInstant());
  }

  private String permissionLetters() {
    return permissionLetters;
  }

  /** Returns {@code /blob/account/container[/path]}, without {@code /blob} before 2015-04-05. */
  private String canonicalName(String accountName, String version) {
    String prefix = version.compareTo(V2015_04_05) >= 0 ? "/blob/" : "/";
    return prefix + accountName + "/" + resource.canonicalPath();
  }

  /** The optional fields of a user delegation SAS that name other principals. */
  private record DelegationFields(
      String preauthorizedAgentObjectId, String agentObjectId, String correlationId, String delegatedUserObjectId) {}

  /**
   * Builder for {@link BlobSas}; not thread-safe. Defaults: service version {@link
   * SasGrant#DEFAULT_VERSION}, {@code spr=https}, a skew margin of 5 minutes, the system clock.
   */
  public static final class Builder {
    private final SasGrant.Builder grant = SasGrant.builder();
    private final ResponseHeaders.Builder headers = ResponseHeaders.builder();
    private SasResource resource;
    private Set<BlobSasPermission> permissions = Set.of();
    private String identifier;
    private String snapshot;
    private DelegationFields delegation = new DelegationFields(null, null, null, null);

    private Builder() {}

    /** Grants access to one blob ({@code sr=b}). */
    public Builder blob(String container, String blobName) {
      this.resource = SasResource.blob(container, blobName);
      return this;
    }

    /** Grants access to a container and every blob in it ({@code sr=c}). */
    public Builder container(String container) {
      this.resource = SasResource.container(container);
      return this;
    }

    /**
     * Grants access to a directory of an account with a hierarchical namespace and everything below
     * it ({@code sr=d}, with {@code sdd} the number of path segments).
     */
    public Builder directory(String container, String directoryPath) {
      this.resource = SasResource.directory(container, directoryPath);
      return this;
    }

    /**
     * Sets the permissions; they are written in canonical order whatever the order here.
     *
     * @throws IllegalArgumentException if the set is empty
     */
    public Builder permissions(Set<BlobSasPermission> permissions) {
      Objects.requireNonNull(permissions, "permissions");
      if (permissions.isEmpty()) {
        throw new IllegalArgumentException("Invalid SAS permissions []: name at least one, such as READ");
      }
      this.permissions = EnumSet.copyOf(permissions);
      return this;
    }

    /** Sets the permissions from {@code sp} letters in any order, such as {@code "wr"}. */
    public Builder permissions(String letters) {
      return permissions(BlobSasPermission.parse(letters));
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

    /** Sets the service version ({@code sv}), from 2013-08-15 on; see the class documentation. */
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
     * Names a stored access policy of the container ({@code si}); the policy may then supply the
     * permissions and the expiry. Not valid for a user delegation SAS.
     */
    public Builder identifier(String identifier) {
      this.identifier = SasGrant.checkText("identifier", identifier);
      return this;
    }

    /** Grants access to one snapshot of the blob, by its time as the service wrote it. */
    public Builder snapshot(String snapshot) {
      this.snapshot = SasGrant.checkText("snapshot", snapshot);
      return this;
    }

    /** Sets the {@code Cache-Control} the service returns for requests with this SAS ({@code rscc}). */
    public Builder cacheControl(String value) {
      headers.cacheControl(value);
      return this;
    }

    /** Sets the {@code Content-Disposition} the service returns ({@code rscd}). */
    public Builder contentDisposition(String value) {
      headers.contentDisposition(value);
      return this;
    }

    /** Sets the {@code Content-Encoding} the service returns ({@code rsce}). */
    public Builder contentEncoding(String value) {
      headers.contentEncoding(value);
      return this;
    }

    /** Sets the {@code Content-Language} the service returns ({@code rscl}). */
    public Builder contentLanguage(String value) {
      headers.contentLanguage(value);
      return this;
    }

    /** Sets the {@code Content-Type} the service returns ({@code rsct}). */
    public Builder contentType(String value) {
      headers.contentType(value);
      return this;
    }

    /**
     * Sets the principals of a user delegation SAS from version 2020-02-10 on: the object id
     * authorized without further checks ({@code saoid}) or with a POSIX ACL check ({@code suoid}), and
     * a correlation id for the storage logs ({@code scid}). Each may be {@code null}.
     */
    public Builder delegatedPrincipals(String preauthorizedAgentObjectId, String agentObjectId, String correlationId) {
      this.delegation = new DelegationFields(preauthorizedAgentObjectId, agentObjectId, correlationId,
          delegation.delegatedUserObjectId());
      return this;
    }

    /** Sets the object id of the end user a user delegation SAS is for ({@code sduoid}, from 2025-07-05). */
    public Builder delegatedUserObjectId(String objectId) {
      this.delegation = new DelegationFields(delegation.preauthorizedAgentObjectId(), delegation.agentObjectId(),
          delegation.correlationId(), SasGrant.checkText("delegatedUserObjectId", objectId));
      return this;
    }

    /**
     * Builds the SAS grant.
     *
     * @throws IllegalStateException if no resource is set, if neither an identifier nor both
     *     permissions and an expiry are set, or if an option needs a newer version
     */
    public BlobSas build() {
      if (resource == null) {
        throw new IllegalStateException("A SAS needs a resource: call blob(...), container(...) or directory(...)");
      }
      if (identifier == null && (permissions.isEmpty() || !grant.hasExpiry())) {
        throw new IllegalStateException(
            "A SAS without a stored access policy needs permissions and an expiry: call permissions(...)"
                + " and lifetime(...) or expiresOn(...), or identifier(...)");
      }
      checkVersion();
      resource.checkPermissions(permissions);
      return new BlobSas(this);
    }

    private void checkVersion() {
      String version = grant.version();
      if (version.compareTo(OLDEST_VERSION) < 0) {
        throw new IllegalStateException("Invalid SAS version " + version + ": use " + OLDEST_VERSION + " or later");
      }
      if (resource.kind() == SasResource.Kind.DIRECTORY && version.compareTo(V2020_02_10) < 0) {
        throw new IllegalStateException("Invalid SAS version " + version + " for a directory SAS: use "
            + V2020_02_10 + " or later");
      }
      if (snapshot != null && version.compareTo(V2018_11_09) < 0) {
        throw new IllegalStateException("Invalid SAS version " + version + " for a snapshot SAS: use "
            + V2018_11_09 + " or later");
      }
      grant.checkVersionOptions(V2015_04_05, V2020_12_06);
    }
  }
}
