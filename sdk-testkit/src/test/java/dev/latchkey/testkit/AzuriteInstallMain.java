package dev.latchkey.testkit;

import java.nio.file.Path;

/**
 * Installs Azurite into the cache folder given as the only argument, in a JVM of its own, so that
 * {@link AzuriteInstallationTest} can run installs with another {@code PATH} and in two JVMs at once.
 * Prints the script path and exits 0, or prints the {@link AzuriteUnavailableException} message and
 * exits 3.
 */
final class AzuriteInstallMain {

  private AzuriteInstallMain() {}

  public static void main(String[] args) {
    try {
      System.out.println("SCRIPT " + AzuriteInstallation.blobScript(null, Path.of(args[0])));
    } catch (AzuriteUnavailableException e) {
      System.out.println("UNAVAILABLE " + e.getMessage());
      System.exit(3);
    }
  }
}
