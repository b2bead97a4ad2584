package dev.latchkey.credentials;

/**
 * One source of credentials: one call to an issuer, a file or the environment.
 *
 * <p>A provider does I/O and knows nothing of caching: each {@link #fetch()} asks its source again.
 * Wrap it in a {@link CredentialCache} to share one credential among callers and refresh it before
 * it expires. Providers compose: AWS STS AssumeRoleWithWebIdentity takes an {@link AccessToken}
 * provider, and OAuth 2.0 token exchange takes a subject-token provider.
 *
 * <p>Implementations must be thread-safe; the cache calls {@code fetch()} from one thread at a time,
 * but other code may not.
 *
 * @param <C> the type of credential
 */
@FunctionalInterface
public interface CredentialProvider<C extends Credential> {

  /**
   * Fetches a credential from the source.
   *
   * @return a credential; never {@code null}
   * @throws CredentialNotConfiguredException if this source is not set up in this environment (a
   *     variable, a file or an endpoint is missing), so a chain moves on to the next provider
   * @throws CredentialException if the source is set up but failed; {@link
   *     CredentialException#isRetryable()} says whether trying again later may help
   */
  C fetch();

  /** Returns a short, non-secret name for diagnostics and audit events, such as {@code environment}. */
  default String name() {
    return getClass().getSimpleName();
  }
}
