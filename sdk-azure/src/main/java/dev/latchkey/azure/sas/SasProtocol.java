package dev.latchkey.azure.sas;

/** The protocols a SAS may be used over ({@code spr}). */
public enum SasProtocol {
  /** {@code https}: the default, and the only choice for a real storage account. */
  HTTPS_ONLY("https"),
  /**
   * {@code https,http}: also plain HTTP. Use it only for an emulator on a loopback address, because
   * over plain HTTP anyone on the path can read and replay the SAS.
   */
  HTTPS_AND_HTTP("https,http");

  private final String value;

  SasProtocol(String value) {
    this.value = value;
  }

  /** Returns the {@code spr} value. */
  public String value() {
    return value;
  }
}
