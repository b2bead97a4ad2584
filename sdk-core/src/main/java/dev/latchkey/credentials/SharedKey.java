package dev.latchkey.credentials;

import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * An Azure Storage account name and one of its account keys, for Shared Key authorization.
 *
 * <p>Account keys do not expire; they are rotated. {@link #id()} is the account name and a short
 * fingerprint of the key, so the primary and the secondary key of one account have different ids.
 */
public final class SharedKey implements Credential {

  private final String accountName;
  private final SecretValue accountKey;

  private SharedKey(String accountName, SecretValue accountKey) {
    this.accountName = accountName;
    this.accountKey = accountKey;
  }

  /**
   * Creates a shared key.
   *
   * @param accountName the storage account name, 3 to 24 lower-case letters and digits in Azure (the
   *     emulator account {@code devstoreaccount1} also fits)
   * @param accountKey the account key as Azure shows it, in Base64
   * @throws IllegalArgumentException if the account name is blank or the key is not Base64
   */
  public static SharedKey of(String accountName, SecretValue accountKey) {
    Objects.requireNonNull(accountName, "accountName");
    Objects.requireNonNull(accountKey, "accountKey");
    if (accountName.isBlank()) {
      throw new IllegalArgumentException("Invalid storage account name '': name the account");
    }
    try {
      Base64.getDecoder().decode(accountKey.reveal());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Invalid account key for storage account '" + accountName
              + "': it is not Base64; copy the key as the Azure portal or CLI shows it");
    }
    return new SharedKey(accountName, accountKey);
  }

  public String accountName() {
    return accountName;
  }

  public SecretValue accountKey() {
    return accountKey;
  }

  /** Returns the decoded key bytes, in a new array the caller owns. */
  public byte[] decodedKey() {
    return Base64.getDecoder().decode(accountKey.reveal());
  }

  @Override
  public String id() {
    return accountName + ":key-sha256:" + accountKey.fingerprint();
  }

  @Override
  public Optional<Instant> expiresAt() {
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "SharedKey[id=" + id() + "]";
  }
}
