package dev.latchkey.credentials.providers;

import dev.latchkey.credentials.CredentialException;
import java.util.List;

/**
 * No provider of a {@link CredentialProviderChain} returned a credential. The message lists each
 * provider's outcome in order, and {@link #outcomes()} returns them for code to inspect.
 *
 * <p>Retryable when at least one provider was {@link ProviderOutcome.Status#UNAVAILABLE}.
 */
public class CredentialChainException extends CredentialException {

  private static final long serialVersionUID = 1L;

  /** Not serialized: an outcome contains the provider's exception, which may not be serializable. */
  private final transient List<ProviderOutcome> outcomes;

  public CredentialChainException(String chainName, List<ProviderOutcome> outcomes) {
    super(messageOf(chainName, outcomes), isAnyUnavailable(outcomes));
    this.outcomes = List.copyOf(outcomes);
  }

  /** Returns the outcome of each provider, in the chain's order. */
  public List<ProviderOutcome> outcomes() {
    return outcomes;
  }

  /** Returns whether every provider was {@link ProviderOutcome.Status#NOT_CONFIGURED}. */
  public boolean isNotConfigured() {
    return outcomes.stream().allMatch(outcome -> outcome.status() == ProviderOutcome.Status.NOT_CONFIGURED);
  }

  private static boolean isAnyUnavailable(List<ProviderOutcome> outcomes) {
    return outcomes.stream().anyMatch(outcome -> outcome.status() == ProviderOutcome.Status.UNAVAILABLE);
  }

  private static String messageOf(String chainName, List<ProviderOutcome> outcomes) {
    StringBuilder message = new StringBuilder("No provider of ")
        .append(chainName)
        .append(" returned a credential; configure one of them:");
    for (ProviderOutcome outcome : outcomes) {
      message.append("\n  ").append(outcome);
    }
    return message.toString();
  }
}
