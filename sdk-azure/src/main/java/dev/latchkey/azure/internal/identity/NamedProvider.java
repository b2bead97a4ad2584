package dev.latchkey.azure.internal.identity;

import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialProvider;
import java.util.Objects;

/** A provider under the name the Azure sources report in chains and audit events. */
public final class NamedProvider implements CredentialProvider<AccessToken> {

  private final String name;
  private final CredentialProvider<AccessToken> delegate;

  public NamedProvider(String name, CredentialProvider<AccessToken> delegate) {
    this.name = Objects.requireNonNull(name, "name");
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public AccessToken fetch() {
    return delegate.fetch();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return name + ":" + delegate;
  }
}
