package dev.latchkey.azure.sas;

import dev.latchkey.azure.internal.KeyedHmac;
import dev.latchkey.azure.internal.SigningBuffer;
import dev.latchkey.credentials.SasToken;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.SharedKey;
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
 *       2020-12-06 (adds {@code ses}) and 2025-07-05 and later (adds {@code skdutid} and {@code
 *       sduoid} after {@code scid}).
 * </ul>
 *
 * <p>{@code build()} checks the options and keeps them. The first signature encodes the parts of the
 * string to sign and the query that do not change between signatures (everything but the times,
 * the account and the user delegation key's fields), and later signatures with the same {@code
 * BlobSas} copy them whole. A SAS built anew for each signature can reuse the parts that its
 * thread encoded for one of its last four SAS. That needs the same permissions and the same objects
 * (container, blob name, version, identifier and the other options). Signing writes into
 * a per-thread buffer, with the HMAC of each key prepared once.
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

  // The same versions as yyyyMMdd numbers, as SasGrant.isAtLeast compares them.
  private static final int V2015_04_05_DATE = 20150405;
  private static final int V2018_11_09_DATE = 20181109;
  private static final int V2020_02_10_DATE = 20200210;
  private static final int V2020_12_06_DATE = 20201206;
  private static final int V2025_07_05_DATE = 20250705;
  private static final int OLDEST_VERSION_DATE = 20130815;

  private final SasGrant grant;
  private final SasResource resource;
  /** The permissions as a bit set of {@link BlobSasPermission#parseBits}. */
  private final int permissionBits;
  private final String identifier;
  private final String snapshot;
  private final ResponseHeaders headers;
  private final DelegationFields delegation;

  // Layout flags of the version, decided once rather than for every signature.
  private final boolean hasBlobPrefixIpAndProtocol;
  private final boolean hasResourceAndSnapshot;
  private final boolean hasDelegatedPrincipals;
  private final boolean hasEncryptionScope;
  private final boolean hasDelegatedUser;

  /**
   * The encoded fixed parts, set by the first signature. Threads that race to set it store equal
   * parts, and {@link FixedParts} has only final fields, so no lock is needed.
   */
  private FixedParts fixedParts;

  private BlobSas(Builder builder, SasGrant grant) {
    this.grant = grant;
    this.resource = builder.resource;
    this.permissionBits = builder.permissionBits;
    this.identifier = builder.identifier;
    this.snapshot = builder.snapshot;
    this.headers = builder.headers;
    this.delegation = builder.delegation;
    this.hasBlobPrefixIpAndProtocol = grant.isAtLeast(V2015_04_05_DATE);
    this.hasResourceAndSnapshot = grant.isAtLeast(V2018_11_09_DATE);
    this.hasDelegatedPrincipals = grant.isAtLeast(V2020_02_10_DATE);
    this.hasEncryptionScope = grant.isAtLeast(V2020_12_06_DATE);
    this.hasDelegatedUser = grant.isAtLeast(V2025_07_05_DATE);
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
    SigningBuffer buffer = SigningBuffer.current();
    FixedParts parts = fixedParts(buffer);
    writeServiceStringToSign(buffer, parts, key.accountName(), window);
    buffer.signAndClear(KeyedHmac.forBase64Key(key.accountKey()));
    writeQueryToTimes(buffer, parts, window);
    // A service SAS has no user delegation fields, so the rest of the query is one piece.
    buffer.append(parts.bytes, parts.queryAfterTimesStart, parts.bytes.length).appendSignature();
    return SasToken.of(SecretValue.of(buffer.toStringAndWipe()), window.expiryInstant());
  }

  /**
   * Signs a user delegation SAS with a key from {@link UserDelegationKeyClient}. The SAS starts no
   * earlier and expires no later than the key. From version 2025-07-05, the key's delegated user
   * tenant id, if it has one, is signed and sent as {@code skdutid}.
   *
   * @param accountName the storage account that issued the key
   * @throws IllegalArgumentException if {@link Builder#delegatedUserTenantId} named a tenant that is
   *     not the key's delegated user tenant
   * @throws IllegalStateException if the key has expired, the SAS would expire before it starts, or
   *     the key has a delegated user tenant and the version is before 2025-07-05
   */
  public SasToken sign(String accountName, UserDelegationKey key) {
    Objects.requireNonNull(accountName, "accountName");
    Objects.requireNonNull(key, "key");
    if (!hasResourceAndSnapshot) {
      throw new IllegalStateException("Invalid SAS version " + grant.version()
          + " for a user delegation SAS: use " + V2018_11_09 + " or later");
    }
    String delegatedUserTenantId = delegatedUserTenantId(key);
    SasGrant.Window window = grant.window(key.signedStart(), key.signedExpiry());
    SigningBuffer buffer = SigningBuffer.current();
    FixedParts parts = fixedParts(buffer);
    writeDelegationStringToSign(buffer, parts, accountName, key, delegatedUserTenantId, window);
    buffer.signAndClear(KeyedHmac.forBase64Key(key.value()));
    writeQueryToTimes(buffer, parts, window);
    buffer.append(parts.bytes, parts.queryAfterTimesStart, parts.queryBeforeSignatureStart);
    buffer.appendQueryParameter("skoid", key.signedObjectId()).appendQueryParameter("sktid", key.signedTenantId())
        .append("&skt=").appendIsoTime(key.signedStart(), true)
        .append("&ske=").appendIsoTime(key.signedExpiry(), true)
        .appendQueryParameter("sks", key.signedService()).appendQueryParameter("skv", key.signedVersion());
    if (hasDelegatedPrincipals) {
      buffer.appendQueryParameter("saoid", delegation.preauthorizedAgentObjectId())
          .appendQueryParameter("suoid", delegation.agentObjectId())
          .appendQueryParameter("scid", delegation.correlationId());
    }
    if (hasDelegatedUser) {
      buffer.appendQueryParameter("skdutid", delegatedUserTenantId)
          .appendQueryParameter("sduoid", delegation.delegatedUserObjectId());
    }
    buffer.append(parts.bytes, parts.queryBeforeSignatureStart, parts.bytes.length).appendSignature();
    return SasToken.of(SecretValue.of(buffer.toStringAndWipe()), window.expiryInstant());
  }

  /** Returns the service SAS string to sign for the given times; for tests and diagnostics. */
  String serviceStringToSign(String accountName, SasGrant.Window window) {
    SigningBuffer buffer = SigningBuffer.current();
    FixedParts parts = fixedParts(buffer);
    writeServiceStringToSign(buffer, parts, accountName, window);
    return buffer.toString();
  }

  /** Returns the user delegation SAS string to sign for the given key and times. */
  String delegationStringToSign(String accountName, UserDelegationKey key, SasGrant.Window window) {
    SigningBuffer buffer = SigningBuffer.current();
    FixedParts parts = fixedParts(buffer);
    writeDelegationStringToSign(buffer, parts, accountName, key, delegatedUserTenantId(key), window);
    return buffer.toString();
  }

  /**
   * Returns the key's delegated user tenant id, which the SAS carries as {@code skdutid} (the
   * signedKeyDelegatedUserTenantId field of the string to sign), or {@code null}.
   *
   * @throws IllegalArgumentException if {@link Builder#delegatedUserTenantId} named a tenant and the
   *     key was issued for another tenant or for none
   * @throws IllegalStateException if the key has a delegated user tenant and the SAS version is
   *     before 2025-07-05, whose string to sign has no field for it
   */
  private String delegatedUserTenantId(UserDelegationKey key) {
    String fromKey = key.signedDelegatedUserTenantId();
    String expected = delegation.delegatedUserTenantId();
    if (expected != null && !expected.equalsIgnoreCase(fromKey)) {
      throw new IllegalArgumentException("Invalid user delegation key for a SAS with delegated user tenant "
          + expected + ": the key was issued for " + (fromKey == null ? "no delegated user tenant"
          : "delegated user tenant " + fromKey) + ". Request the key with"
          + " UserDelegationKeyClient.Builder.delegatedUserTenantId(\"" + expected + "\")");
    }
    if (fromKey != null && !hasDelegatedUser) {
      throw new IllegalStateException("Invalid SAS version " + grant.version() + " for a user delegation key with"
          + " delegated user tenant " + fromKey + ": use " + V2025_07_05 + " or later");
    }
    return fromKey;
  }

  /**
   * Returns the encoded fixed parts: this SAS's own, else those of a recent SAS of this thread with
   * the same field objects, else new ones. Encoding uses {@code buffer}, this thread's, and leaves it
   * empty, so call this before writing to it.
   */
  private FixedParts fixedParts(SigningBuffer buffer) {
    FixedParts parts = fixedParts;
    if (parts == null) {
      parts = RecentFixedParts.of(buffer).find(this, buffer);
      fixedParts = parts;
    }
    return parts;
  }

  /**
   * Writes the service SAS string to sign: {@code sp}, {@code st}, {@code se}, the canonical name,
   * {@code si}, from 2015-04-05 {@code sip} and {@code spr}, {@code sv}, from 2018-11-09 {@code sr}
   * and the snapshot time, from 2020-12-06 {@code ses}, then the five response headers.
   */
  private static void writeServiceStringToSign(SigningBuffer buffer, FixedParts parts, String accountName,
      SasGrant.Window window) {
    writeFieldsToAccount(buffer, parts, accountName, window);
    buffer.append(parts.bytes, parts.resourceNameStart, parts.queryBeforeTimesStart);
  }

  /** Writes the fields of a service SAS string to sign that follow the canonical name, each after a newline. */
  private void writeServiceFieldsAfterName(SigningBuffer buffer) {
    buffer.appendField(identifier);
    if (hasBlobPrefixIpAndProtocol) {
      buffer.appendField(grant.ipRange()).appendField(grant.protocolValue());
    }
    buffer.appendField(grant.version());
    if (hasResourceAndSnapshot) {
      buffer.appendField(resource.code()).appendField(snapshot);
    }
    if (hasEncryptionScope) {
      buffer.appendField(grant.encryptionScope());
    }
    headers.writeFields(buffer);
  }

  /**
   * Writes the user delegation SAS string to sign: {@code sp}, {@code st}, {@code se}, the canonical
   * name, the six fields of the key, from 2020-02-10 {@code saoid}, {@code suoid} and {@code scid},
   * from 2025-07-05 {@code skdutid} and {@code sduoid}, then {@code sip}, {@code spr}, {@code sv},
   * {@code sr}, the snapshot time, from 2020-12-06 {@code ses}, and the five response headers.
   */
  private void writeDelegationStringToSign(SigningBuffer buffer, FixedParts parts, String accountName,
      UserDelegationKey key, String delegatedUserTenantId, SasGrant.Window window) {
    writeFieldsToAccount(buffer, parts, accountName, window);
    buffer.append(parts.bytes, parts.resourceNameStart, parts.serviceFieldsStart);
    buffer.appendField(key.signedObjectId()).appendField(key.signedTenantId())
        .append('\n').appendIsoTime(key.signedStart(), false).append('\n').appendIsoTime(key.signedExpiry(), false)
        .appendField(key.signedService()).appendField(key.signedVersion());
    if (hasDelegatedPrincipals) {
      buffer.appendField(delegation.preauthorizedAgentObjectId()).appendField(delegation.agentObjectId())
          .appendField(delegation.correlationId());
    }
    if (hasDelegatedUser) {
      buffer.appendField(delegatedUserTenantId).appendField(delegation.delegatedUserObjectId());
    }
    buffer.appendField(grant.ipRange()).appendField(grant.protocolValue()).appendField(grant.version())
        .appendField(resource.code()).appendField(snapshot);
    if (hasEncryptionScope) {
      buffer.appendField(grant.encryptionScope());
    }
    headers.writeFields(buffer);
  }

  /** Writes {@code sp}, {@code st}, {@code se} and the canonical name up to the account. */
  private static void writeFieldsToAccount(SigningBuffer buffer, FixedParts parts, String accountName,
      SasGrant.Window window) {
    buffer.append(parts.bytes, 0, parts.canonicalNamePrefixStart);
    window.writeFields(buffer);
    buffer.append(parts.bytes, parts.canonicalNamePrefixStart, parts.resourceNameStart).appendSasAccount(accountName);
  }

  /** Writes the permission letters in canonical order and a newline. */
  private void writePermissionLine(SigningBuffer buffer) {
    buffer.append(BlobSasPermission.toLetters(permissionBits)).append('\n');
  }

  /** Writes {@code /container} or {@code /container/path}, the end of the canonical name. */
  private void writeResourceName(SigningBuffer buffer) {
    buffer.append('/').append(resource.container());
    if (resource.path() != null) {
      buffer.append('/').append(resource.path());
    }
  }

  /** Writes the query from {@code sv} to {@code se}. */
  private static void writeQueryToTimes(SigningBuffer buffer, FixedParts parts, SasGrant.Window window) {
    buffer.append(parts.bytes, parts.queryBeforeTimesStart, parts.queryAfterTimesStart);
    window.writeQuery(buffer);
  }

  /** Writes {@code sv}, {@code sr} and for a directory {@code sdd}. */
  private void writeQueryBeforeTimes(SigningBuffer buffer) {
    buffer.append("sv=").appendQueryComponent(grant.version()).appendQueryParameter("sr", resource.code());
    if (resource.kind() == SasResource.Kind.DIRECTORY) {
      buffer.appendQueryParameter("sdd", Integer.toString(resource.depth()));
    }
  }

  /** Writes {@code sp}, from 2015-04-05 {@code sip} and {@code spr}, and {@code si}. */
  private void writeQueryAfterTimes(SigningBuffer buffer) {
    buffer.appendQueryParameter("sp", BlobSasPermission.toLetters(permissionBits));
    if (hasBlobPrefixIpAndProtocol) {
      buffer.appendQueryParameter("sip", grant.ipRange()).appendQueryParameter("spr", grant.protocolValue());
    }
    buffer.appendQueryParameter("si", identifier);
  }

  /** Writes {@code ses}, the response headers and {@code &sig=}, for the signature to follow. */
  private void writeQueryBeforeSignature(SigningBuffer buffer) {
    buffer.appendQueryParameter("ses", grant.encryptionScope());
    headers.writeQuery(buffer);
    buffer.append("&sig=");
  }

  SasGrant grant() {
    return grant;
  }

  /**
   * The parts of the string to sign and the query that stay the same from one signature to the
   * next, encoded as UTF-8 one after the other, so that signing copies them whole. In order, they
   * are the permission line, the canonical name up to the account, the rest of the canonical name,
   * and the service SAS fields after it. Then come the query before the times, after the times, and
   * after the user delegation fields up to {@code &sig=}. Each part ends where the next begins, at
   * the offsets below.
   *
   * <p>The parts also keep the objects they were encoded from, so that {@link #isEncodingOf} can
   * tell by identity whether another SAS would encode the same bytes. They contain neither the
   * account, nor a key, nor a signature, so reusing them for another account or key is safe.
   */
  private static final class FixedParts {
    private final String version;
    private final SasResource.Kind kind;
    private final String container;
    private final String path;
    private final int permissionBits;
    private final String identifier;
    private final String snapshot;
    private final String ipRange;
    private final SasProtocol protocol;
    private final String encryptionScope;
    private final ResponseHeaders headers;

    private final byte[] bytes;
    private final int canonicalNamePrefixStart;
    private final int resourceNameStart;
    private final int serviceFieldsStart;
    private final int queryBeforeTimesStart;
    private final int queryAfterTimesStart;
    private final int queryBeforeSignatureStart;

    /** Encodes the fixed parts of {@code sas} with {@code buffer}, which must be empty, and empties it again. */
    FixedParts(BlobSas sas, SigningBuffer buffer) {
      SasGrant grant = sas.grant;
      this.version = grant.version();
      this.kind = sas.resource.kind();
      this.container = sas.resource.container();
      this.path = sas.resource.path();
      this.permissionBits = sas.permissionBits;
      this.identifier = sas.identifier;
      this.snapshot = sas.snapshot;
      this.ipRange = grant.ipRange();
      this.protocol = grant.protocol();
      this.encryptionScope = grant.encryptionScope();
      this.headers = sas.headers;

      sas.writePermissionLine(buffer);
      this.canonicalNamePrefixStart = buffer.length();
      buffer.append(sas.hasBlobPrefixIpAndProtocol ? "\n/blob/" : "\n/");
      this.resourceNameStart = buffer.length();
      sas.writeResourceName(buffer);
      this.serviceFieldsStart = buffer.length();
      sas.writeServiceFieldsAfterName(buffer);
      this.queryBeforeTimesStart = buffer.length();
      sas.writeQueryBeforeTimes(buffer);
      this.queryAfterTimesStart = buffer.length();
      sas.writeQueryAfterTimes(buffer);
      this.queryBeforeSignatureStart = buffer.length();
      sas.writeQueryBeforeSignature(buffer);
      this.bytes = buffer.toByteArray();
      buffer.clear();
    }

    /**
     * Returns whether these parts were encoded from the same objects as the fields of {@code sas}
     * (the same permission bits, and the same kind of resource and protocol), so that encoding
     * {@code sas} would give the same bytes. Strings are immutable, and the version decides the
     * layout flags.
     */
    boolean isEncodingOf(BlobSas sas) {
      SasGrant grant = sas.grant;
      SasResource resource = sas.resource;
      return version == grant.version() && container == resource.container() && path == resource.path()
          && kind == resource.kind() && permissionBits == sas.permissionBits && identifier == sas.identifier
          && snapshot == sas.snapshot && ipRange == grant.ipRange() && protocol == grant.protocol()
          && encryptionScope == grant.encryptionScope() && headers.isSameAs(sas.headers);
    }
  }

  /**
   * The fixed parts of the last few SASes a thread encoded, replaced in turn, so that a thread that
   * builds a new {@code BlobSas} from the same objects for each signature encodes the parts once. A
   * thread that alternates between a few kinds of SAS keeps the parts of each.
   */
  private static final class RecentFixedParts {
    private static final int SLOTS = 4;

    private final FixedParts[] slots = new FixedParts[SLOTS];
    /** The slot of the parts found or encoded last, checked first. */
    private int last;

    /** Returns the recent parts of the thread that owns {@code buffer}, kept in the buffer. */
    static RecentFixedParts of(SigningBuffer buffer) {
      Object state = buffer.blobSasState();
      if (state instanceof RecentFixedParts recent) {
        return recent;
      }
      RecentFixedParts recent = new RecentFixedParts();
      buffer.blobSasState(recent);
      return recent;
    }

    /** Returns recent parts that are the encoding of {@code sas}, or encodes them in place of the oldest. */
    FixedParts find(BlobSas sas, SigningBuffer buffer) {
      for (int i = 0; i < SLOTS; i++) {
        int slot = (last + SLOTS - i) % SLOTS;
        FixedParts parts = slots[slot];
        if (parts != null && parts.isEncodingOf(sas)) {
          return parts;
        }
      }
      last = (last + 1) % SLOTS;
      FixedParts parts = new FixedParts(sas, buffer);
      slots[last] = parts;
      return parts;
    }
  }

  /** The optional fields of a user delegation SAS that name other principals. */
  private record DelegationFields(
      String preauthorizedAgentObjectId, String agentObjectId, String correlationId, String delegatedUserTenantId,
      String delegatedUserObjectId) {

    /** No field set: the value of a new builder, shared so that building a SAS allocates none. */
    static final DelegationFields NONE = new DelegationFields(null, null, null, null, null);
  }

  /**
   * Builder for {@link BlobSas}; not thread-safe. Defaults: service version {@link
   * SasGrant#DEFAULT_VERSION}, {@code spr=https}, a skew margin of 5 minutes, the system clock.
   */
  public static final class Builder extends SasBuilderBase<Builder> {
    private ResponseHeaders headers = ResponseHeaders.NONE;
    private SasResource resource;
    /** The permissions as a bit set of {@link BlobSasPermission#parseBits}; 0 for none. */
    private int permissionBits;
    private String identifier;
    private String snapshot;
    private DelegationFields delegation = DelegationFields.NONE;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

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
      this.permissionBits = BlobSasPermission.toBits(permissions);
      return this;
    }

    /** Sets the permissions from {@code sp} letters in any order, such as {@code "wr"}. */
    public Builder permissions(String letters) {
      this.permissionBits = BlobSasPermission.parseBits(letters);
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
      this.headers = headers.withCacheControl(value);
      return this;
    }

    /** Sets the {@code Content-Disposition} the service returns ({@code rscd}). */
    public Builder contentDisposition(String value) {
      this.headers = headers.withContentDisposition(value);
      return this;
    }

    /** Sets the {@code Content-Encoding} the service returns ({@code rsce}). */
    public Builder contentEncoding(String value) {
      this.headers = headers.withContentEncoding(value);
      return this;
    }

    /** Sets the {@code Content-Language} the service returns ({@code rscl}). */
    public Builder contentLanguage(String value) {
      this.headers = headers.withContentLanguage(value);
      return this;
    }

    /** Sets the {@code Content-Type} the service returns ({@code rsct}). */
    public Builder contentType(String value) {
      this.headers = headers.withContentType(value);
      return this;
    }

    /**
     * Sets the principals of a user delegation SAS from version 2020-02-10 on: the object id
     * authorized without further checks ({@code saoid}) or with a POSIX ACL check ({@code suoid}), and
     * a correlation id for the storage logs ({@code scid}). Each may be {@code null}.
     */
    public Builder delegatedPrincipals(String preauthorizedAgentObjectId, String agentObjectId, String correlationId) {
      this.delegation = new DelegationFields(preauthorizedAgentObjectId, agentObjectId, correlationId,
          delegation.delegatedUserTenantId(), delegation.delegatedUserObjectId());
      return this;
    }

    /** Sets the object id of the end user a user delegation SAS is for ({@code sduoid}, from 2025-07-05). */
    public Builder delegatedUserObjectId(String objectId) {
      this.delegation = new DelegationFields(delegation.preauthorizedAgentObjectId(), delegation.agentObjectId(),
          delegation.correlationId(), delegation.delegatedUserTenantId(),
          SasGrant.checkText("delegatedUserObjectId", objectId));
      return this;
    }

    /**
     * Sets the tenant of the end user a user delegation SAS is for ({@code skdutid}, from 2025-07-05),
     * when that tenant is not the storage account's, and makes {@link #sign(String, UserDelegationKey)}
     * reject a key issued for another tenant or for none. The SAS takes {@code skdutid} from the key
     * ({@link UserDelegationKey#signedDelegatedUserTenantId}), because the string to sign names it a
     * field of the key: the service accepts it only with a key requested for the same tenant, with
     * {@link UserDelegationKeyClient.Builder#delegatedUserTenantId}, and only if the account allows
     * cross-tenant delegation SAS. Use it together with {@link #delegatedUserObjectId}. Without this
     * setting a key with a delegated user tenant is still signed with it, and a key without one
     * leaves the field empty and {@code skdutid} out of the query.
     *
     * @param tenantId a Microsoft Entra tenant id, a GUID such as {@code
     *     72f988bf-86f1-41af-91ab-2d7cd011db47}
     * @throws IllegalArgumentException if it is not a GUID
     */
    public Builder delegatedUserTenantId(String tenantId) {
      this.delegation = new DelegationFields(delegation.preauthorizedAgentObjectId(), delegation.agentObjectId(),
          delegation.correlationId(), Guids.check("delegatedUserTenantId", tenantId),
          delegation.delegatedUserObjectId());
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
      if (identifier == null && (permissionBits == 0 || !grant.hasExpiry())) {
        throw new IllegalStateException(
            "A SAS without a stored access policy needs permissions and an expiry: call permissions(...)"
                + " and lifetime(...) or expiresOn(...), or identifier(...)");
      }
      SasGrant built = grant.build();
      checkVersion(built);
      resource.checkPermissions(permissionBits);
      return new BlobSas(this, built);
    }

    private void checkVersion(SasGrant built) {
      String version = built.version();
      if (!built.isAtLeast(OLDEST_VERSION_DATE)) {
        throw new IllegalStateException("Invalid SAS version " + version + ": use " + OLDEST_VERSION + " or later");
      }
      if (resource.kind() == SasResource.Kind.DIRECTORY && !built.isAtLeast(V2020_02_10_DATE)) {
        throw new IllegalStateException("Invalid SAS version " + version + " for a directory SAS: use "
            + V2020_02_10 + " or later");
      }
      if (snapshot != null && !built.isAtLeast(V2018_11_09_DATE)) {
        throw new IllegalStateException("Invalid SAS version " + version + " for a snapshot SAS: use "
            + V2018_11_09 + " or later");
      }
      if (delegation.delegatedUserTenantId() != null && !built.isAtLeast(V2025_07_05_DATE)) {
        throw new IllegalStateException("Invalid SAS version " + version + " with a delegated user tenant id: use "
            + V2025_07_05 + " or later");
      }
      built.checkVersionOptions(V2015_04_05, V2020_12_06);
    }
  }
}
