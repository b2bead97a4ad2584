package dev.latchkey.policy;

import java.util.Objects;

/**
 * The reach and permissions of an Azure shared access signature, compiled from an {@link
 * AccessPolicy} for one identity. The Azure module signs it into a service SAS: a blob SAS ({@code sr=b}) when
 * {@link #blobName()} is set, a container SAS ({@code sr=c}) otherwise.
 *
 * <p>Permissions use the SAS letters in their canonical order {@code racwdl}: {@code r} read (from
 * {@link Action#READ}), {@code c} create and {@code w} write (from {@link Action#WRITE}), {@code d}
 * delete (from {@link Action#DELETE}), {@code l} list (from {@link Action#LIST}, container SAS
 * only). {@code a} (append) is never granted.
 *
 * @param account the storage account
 * @param container the container
 * @param blobName the blob, or {@code null} for a container SAS
 * @param permissions a non-empty subset of {@code racwdl}, in that order
 */
public record SasScope(String account, String container, String blobName, String permissions) {

  /** All SAS permission letters of a blob or container SAS, in canonical order. */
  public static final String CANONICAL_ORDER = "racwdl";

  /**
   * Checks the scope.
   *
   * @throws IllegalArgumentException if a name is empty, or the permissions are empty, contain a
   *     letter outside {@code racwdl}, repeat a letter or are out of canonical order
   */
  public SasScope {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(permissions, "permissions");
    if (account.isEmpty() || container.isEmpty() || (blobName != null && blobName.isEmpty())) {
      throw new IllegalArgumentException("Invalid SAS scope: account, container and blob name"
          + " must not be empty; use null for a container SAS");
    }
    checkPermissions(permissions);
  }

  /** Returns whether this is a container SAS rather than a blob SAS. */
  public boolean isContainer() {
    return blobName == null;
  }

  private static void checkPermissions(String permissions) {
    int last = -1;
    for (int i = 0; i < permissions.length(); i++) {
      int position = CANONICAL_ORDER.indexOf(permissions.charAt(i));
      if (position <= last) {
        throw new IllegalArgumentException("Invalid SAS permissions '" + permissions
            + "': use distinct letters of racwdl in that order, such as rl or cwd");
      }
      last = position;
    }
    if (permissions.isEmpty()) {
      throw new IllegalArgumentException("Invalid SAS permissions '': grant at least one of racwdl");
    }
  }
}
