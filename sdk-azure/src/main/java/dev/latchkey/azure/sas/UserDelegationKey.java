package dev.latchkey.azure.sas;

import dev.latchkey.credentials.SecretValue;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * A user delegation key that Blob Storage issued to a Microsoft Entra principal (Get User Delegation
 * Key), which signs user delegation SAS tokens.
 *
 * <p>The key value is a secret and {@link #toString()} leaves it out. Every SAS signed with the key
 * stops working when the key expires, so a SAS never expires after {@link #signedExpiry()}.
 * Immutable and thread-safe.
 *
 * @param signedObjectId the principal's object id ({@code skoid})
 * @param signedTenantId the principal's tenant id ({@code sktid})
 * @param signedStart the start of the key's validity ({@code skt})
 * @param signedExpiry the end of the key's validity ({@code ske})
 * @param signedService the service the key is for, {@code b} ({@code sks})
 * @param signedVersion the service version that issued the key ({@code skv})
 * @param signedDelegatedUserTenantId the Microsoft Entra tenant of the end user the key was issued
 *     for, a GUID: {@code SignedDelegatedUserTid} in the Get User Delegation Key response, which the
 *     service returns only when the request named that tenant ({@code DelegatedUserTid}, service
 *     version 2025-07-05 and later). A user delegation SAS signed with the key carries it as {@code
 *     skdutid}. {@code null} for a key issued without a delegated user tenant.
 * @param value the key, in Base64
 */
public record UserDelegationKey(
    String signedObjectId,
    String signedTenantId,
    Instant signedStart,
    Instant signedExpiry,
    String signedService,
    String signedVersion,
    String signedDelegatedUserTenantId,
    SecretValue value) {

  /**
   * Checks the key's fields.
   *
   * @throws IllegalArgumentException if the expiry is not after the start, the delegated user tenant
   *     id is not a GUID, or the value is not Base64
   */
  public UserDelegationKey {
    Objects.requireNonNull(signedObjectId, "signedObjectId");
    Objects.requireNonNull(signedTenantId, "signedTenantId");
    Objects.requireNonNull(signedStart, "signedStart");
    Objects.requireNonNull(signedExpiry, "signedExpiry");
    Objects.requireNonNull(signedService, "signedService");
    Objects.requireNonNull(signedVersion, "signedVersion");
    Objects.requireNonNull(value, "value");
    if (signedDelegatedUserTenantId != null) {
      Guids.check("signedDelegatedUserTenantId", signedDelegatedUserTenantId);
    }
    if (!signedExpiry.isAfter(signedStart)) {
      throw new IllegalArgumentException(
          "Invalid user delegation key: its expiry " + signedExpiry + " is not after its start " + signedStart);
    }
    try {
      Base64.getDecoder().decode(value.reveal());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid user delegation key value: it is not Base64");
    }
  }

  /** Creates a key issued without a delegated user tenant. */
  public UserDelegationKey(String signedObjectId, String signedTenantId, Instant signedStart, Instant signedExpiry,
      String signedService, String signedVersion, SecretValue value) {
    this(signedObjectId, signedTenantId, signedStart, signedExpiry, signedService, signedVersion, null, value);
  }

  /** Returns the decoded key bytes, in a new array the caller owns. */
  public byte[] decodedValue() {
    return Base64.getDecoder().decode(value.reveal());
  }

  @Override
  public String toString() {
    return "UserDelegationKey[signedObjectId=" + signedObjectId + ", signedTenantId=" + signedTenantId
        + ", signedStart=" + signedStart + ", signedExpiry=" + signedExpiry + ", signedService=" + signedService
        + ", signedVersion=" + signedVersion + ", signedDelegatedUserTenantId=" + signedDelegatedUserTenantId
        + ", value=" + SecretValue.MASK + "]";
  }
}
