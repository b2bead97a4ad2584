package dev.latchkey.azure.internal.identity;

import dev.latchkey.auth.TokenFileProvider;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialNotConfiguredException;
import dev.latchkey.credentials.CredentialProvider;
import java.nio.file.Path;

/**
 * The federated token file of workload identity, read by a {@link TokenFileProvider}. When the file
 * does not exist, the error names the setting that chose it and the platform that writes it.
 */
public final class FederatedTokenFile implements CredentialProvider<AccessToken> {

  private final TokenFileProvider file;
  private final String setting;

  /**
   * @param file the token file
   * @param setting where the path came from, such as {@code AZURE_FEDERATED_TOKEN_FILE}, for messages
   */
  public FederatedTokenFile(Path file, String setting) {
    this.file = TokenFileProvider.of(file);
    this.setting = setting;
  }

  /**
   * Reads the token.
   *
   * @throws CredentialNotConfiguredException if the file does not exist
   */
  @Override
  public AccessToken fetch() {
    try {
      return file.fetch();
    } catch (CredentialNotConfiguredException e) {
      throw new CredentialNotConfiguredException("Federated token file " + file.file() + " does not exist. "
          + setting + " names it, and the platform writes it: on Kubernetes, the Azure Workload Identity"
          + " webhook mounts a projected service account token and sets AZURE_FEDERATED_TOKEN_FILE to its"
          + " path. Check that the pod uses workload identity and that " + setting + " names that file.");
    }
  }

  @Override
  public String name() {
    return file.name();
  }

  @Override
  public String toString() {
    return "FederatedTokenFile[" + file.file() + ", from " + setting + "]";
  }
}
