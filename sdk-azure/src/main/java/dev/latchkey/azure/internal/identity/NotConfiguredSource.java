package dev.latchkey.azure.internal.identity;

import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialNotConfiguredException;
import dev.latchkey.credentials.CredentialProvider;

/**
 * A source that cannot work in this environment; each fetch throws {@link
 * CredentialNotConfiguredException} with the reason, so a chain moves on and reports it.
 */
public final class NotConfiguredSource implements CredentialProvider<AccessToken> {

  private final String name;
  private final String reason;

  public NotConfiguredSource(String name, String reason) {
    this.name = name;
    this.reason = reason;
  }

  @Override
  public AccessToken fetch() {
    throw new CredentialNotConfiguredException(reason);
  }

  @Override
  public String name() {
    return name;
  }
}
