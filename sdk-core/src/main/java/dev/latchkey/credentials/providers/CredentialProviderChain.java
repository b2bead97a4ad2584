package dev.latchkey.credentials.providers;

import dev.latchkey.credentials.Credential;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tries providers in order and returns the first credential one of them returns.
 *
 * <p>Each {@link #fetch()} starts again from the first provider, so a provider earlier in the chain
 * wins as soon as it is configured. When every provider fails, the chain throws one {@link
 * CredentialChainException} that lists each provider's outcome: not configured, unavailable, or
 * failed with the reason. A nested chain whose providers are all not configured counts as not
 * configured.
 *
 * <p>Thread-safe if its providers are.
 *
 * @param <C> the type of credential
 */
public final class CredentialProviderChain<C extends Credential> implements CredentialProvider<C> {

  private static final Logger log = LoggerFactory.getLogger(CredentialProviderChain.class);

  private final List<CredentialProvider<? extends C>> providers;
  private final String name;

  private CredentialProviderChain(List<CredentialProvider<? extends C>> providers) {
    this.providers = providers;
    this.name = providers.stream().map(CredentialProvider::name).collect(Collectors.joining(", ", "chain[", "]"));
  }

  /**
   * Creates a chain of {@code providers}, tried in list order.
   *
   * @throws IllegalArgumentException if the list is empty
   * @throws NullPointerException if the list or one of its providers is null
   */
  public static <C extends Credential> CredentialProviderChain<C> of(
      List<? extends CredentialProvider<? extends C>> providers) {
    Objects.requireNonNull(providers, "providers");
    if (providers.isEmpty()) {
      throw new IllegalArgumentException("A credential provider chain needs at least one provider");
    }
    List<CredentialProvider<? extends C>> copy = new ArrayList<>();
    for (int index = 0; index < providers.size(); index++) {
      copy.add(Objects.requireNonNull(providers.get(index), "provider " + index + " of the chain"));
    }
    return new CredentialProviderChain<>(List.copyOf(copy));
  }

  /** Creates a chain of {@code providers}, tried in argument order. */
  @SafeVarargs
  public static <C extends Credential> CredentialProviderChain<C> of(CredentialProvider<? extends C>... providers) {
    return of(List.of(providers));
  }

  /** Returns the providers, in the order they are tried. */
  public List<CredentialProvider<? extends C>> providers() {
    return providers;
  }

  /**
   * Returns the credential of the first provider that returns one.
   *
   * @throws CredentialChainException if every provider threw; an {@link Error} is not caught
   */
  @Override
  public C fetch() {
    List<ProviderOutcome> outcomes = new ArrayList<>();
    for (CredentialProvider<? extends C> provider : providers) {
      try {
        C credential = provider.fetch();
        if (credential != null) {
          log.debug("Provider '{}' of {} returned credential {}", provider.name(), name, credential.id());
          return credential;
        }
        outcomes.add(ProviderOutcome.of(provider.name(),
            new CredentialException("fetch() returned null instead of a credential or an exception", false)));
      } catch (RuntimeException e) {
        outcomes.add(ProviderOutcome.of(provider.name(), e));
      }
    }
    throw new CredentialChainException(name, outcomes);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return name;
  }
}
