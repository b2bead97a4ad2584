package dev.latchkey.credentials.providers;

import dev.latchkey.LatchkeyException;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialNotConfiguredException;
import java.util.Objects;

/**
 * The reason one provider of a {@link CredentialProviderChain} returned no credential.
 *
 * <p>The reason is the provider's own message when it threw a {@link LatchkeyException}, whose
 * messages never contain a secret. For any other exception, the reason is only the exception's class
 * name, because its message may quote what the provider read. {@link #toString()} prints the
 * provider name, the status and the reason.
 *
 * @param providerName the provider's {@link dev.latchkey.credentials.CredentialProvider#name()}
 * @param status what happened
 * @param reason a short explanation without secrets
 * @param failure the exception the provider threw
 */
public record ProviderOutcome(String providerName, Status status, String reason, RuntimeException failure) {

  /** The kinds of outcome. */
  public enum Status {
    /** The provider is not set up here: a variable, file or endpoint it reads is absent. */
    NOT_CONFIGURED,
    /** The provider is set up but failed in a way that may pass ({@link CredentialException#isRetryable()}). */
    UNAVAILABLE,
    /** The provider is set up but failed in a way that will not pass by waiting. */
    FAILED
  }

  public ProviderOutcome {
    Objects.requireNonNull(providerName, "providerName");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(failure, "failure");
  }

  /** Classifies what {@code failure} means for a provider named {@code providerName}. */
  public static ProviderOutcome of(String providerName, RuntimeException failure) {
    return new ProviderOutcome(providerName, statusOf(failure), reasonOf(failure), failure);
  }

  private static Status statusOf(RuntimeException failure) {
    if (failure instanceof CredentialNotConfiguredException
        || failure instanceof CredentialChainException chain && chain.isNotConfigured()) {
      return Status.NOT_CONFIGURED;
    }
    if (failure instanceof LatchkeyException latchkey && latchkey.isRetryable()) {
      return Status.UNAVAILABLE;
    }
    return Status.FAILED;
  }

  private static String reasonOf(RuntimeException failure) {
    if (failure instanceof LatchkeyException && failure.getMessage() != null) {
      return failure.getMessage();
    }
    return failure.getClass().getName();
  }

  @Override
  public String toString() {
    return providerName + ": " + status.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
        + " (" + reason + ")";
  }
}
