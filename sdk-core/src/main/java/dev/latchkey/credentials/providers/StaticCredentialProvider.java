package dev.latchkey.credentials.providers;

import dev.latchkey.credentials.Credential;
import dev.latchkey.credentials.CredentialProvider;
import java.util.Objects;

/**
 * Returns the same credential on every fetch: a long-term key from configuration, or a fixed
 * credential in tests. Thread-safe.
 *
 * @param <C> the type of credential
 */
public final class StaticCredentialProvider<C extends Credential> implements CredentialProvider<C> {

  private final C credential;

  private StaticCredentialProvider(C credential) {
    this.credential = credential;
  }

  public static <C extends Credential> StaticCredentialProvider<C> of(C credential) {
    return new StaticCredentialProvider<>(Objects.requireNonNull(credential, "credential"));
  }

  @Override
  public C fetch() {
    return credential;
  }

  @Override
  public String name() {
    return "static";
  }

  @Override
  public String toString() {
    return "StaticCredentialProvider[" + credential + "]";
  }
}
