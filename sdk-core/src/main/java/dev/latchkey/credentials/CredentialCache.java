package dev.latchkey.credentials;

/**
 * Keeps a short-lived credential from one {@link CredentialProvider} valid for every caller of a
 * process, refreshing it before it expires.
 *
 * <p>A cache is also a {@link CredentialProvider} whose {@link #fetch()} returns {@link #current()},
 * so a cache can feed a provider that needs another credential (AWS STS AssumeRole, OAuth 2.0 token
 * exchange) without asking the first issuer on every call.
 *
 * @param <C> the type of credential
 */
public interface CredentialCache<C extends Credential> extends CredentialProvider<C>, AutoCloseable {

  /**
   * Returns a credential that is valid now.
   *
   * @throws CredentialUnavailableException if no valid credential can be obtained in time
   */
  C current();

  /**
   * Reports that a server rejected {@code credential} as expired or revoked. If it is still the
   * current credential, the next call to {@link #current()} waits for a new one; if it has already
   * been replaced, nothing happens.
   */
  void invalidate(C credential);

  /** Releases the cache's scheduled tasks. Later calls to {@link #current()} fail. */
  @Override
  void close();

  @Override
  default C fetch() {
    return current();
  }
}
