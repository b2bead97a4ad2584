package dev.latchkey.azure.sas;

import dev.latchkey.azure.internal.ContainerNames;
import java.util.Objects;

/** The blob, container or directory a service or user delegation SAS grants access to. */
record SasResource(Kind kind, String container, String path) {

  /** The kinds of resource, with their {@code sr} codes. */
  enum Kind {
    BLOB("b"),
    CONTAINER("c"),
    DIRECTORY("d");

    private final String code;

    Kind(String code) {
      this.code = code;
    }
  }

  /** Permissions that only make sense on a container or directory, because they enumerate blobs. */
  private static final BlobSasPermission[] ENUMERATING = {BlobSasPermission.LIST, BlobSasPermission.FIND};

  static SasResource blob(String container, String blobName) {
    checkName("blob name", blobName);
    return new SasResource(Kind.BLOB, checkContainer(container), blobName);
  }

  static SasResource container(String container) {
    return new SasResource(Kind.CONTAINER, checkContainer(container), null);
  }

  static SasResource directory(String container, String directoryPath) {
    checkName("directory path", directoryPath);
    // The same object when there is nothing to trim, so that a per-thread memo of BlobSas matches it.
    boolean hasOuterSlash = directoryPath.charAt(0) == '/' || directoryPath.charAt(directoryPath.length() - 1) == '/';
    String trimmed = hasOuterSlash ? directoryPath.replaceAll("^/+|/+$", "") : directoryPath;
    if (trimmed.isEmpty() || trimmed.contains("//")) {
      throw new IllegalArgumentException("Invalid directory path '" + directoryPath
          + "': name a directory such as 2026/q1, without empty segments");
    }
    return new SasResource(Kind.DIRECTORY, checkContainer(container), trimmed);
  }

  String code() {
    return kind.code;
  }

  /** Returns the number of path segments of a directory ({@code sdd}). */
  int depth() {
    return path == null ? 0 : path.split("/").length;
  }

  /** Returns {@code container} or {@code container/path}, as the canonical name writes it. */
  String canonicalPath() {
    return kind == Kind.CONTAINER ? container : container + "/" + path;
  }

  /** Checks permissions given as a bit set of {@link BlobSasPermission#parseBits}. */
  void checkPermissions(int permissionBits) {
    if (kind != Kind.BLOB) {
      return;
    }
    // LIST before FIND, the order in which iterating an EnumSet of both would find them.
    for (BlobSasPermission permission : ENUMERATING) {
      if ((permissionBits & permission.bit()) != 0) {
        throw new IllegalStateException("Invalid SAS permission " + permission + " for blob '" + path
            + "': it needs a container or directory SAS");
      }
    }
  }

  private static String checkContainer(String container) {
    Objects.requireNonNull(container, "container");
    return ContainerNames.check(container);
  }

  private static void checkName(String what, String name) {
    Objects.requireNonNull(name, what);
    if (name.isEmpty()) {
      throw new IllegalArgumentException("Invalid " + what + " '': name it");
    }
  }
}
