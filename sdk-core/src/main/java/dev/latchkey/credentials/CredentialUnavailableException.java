package dev.latchkey.credentials;

/**
 * No valid credential can be served: the last one is stale or expired and refreshing it failed, or a
 * caller waited longer than allowed for a refresh. The cause is the last failure of the source.
 */
public class CredentialUnavailableException extends CredentialException {

  private static final long serialVersionUID = 1L;

  public CredentialUnavailableException(String message, Throwable cause, boolean retryable) {
    super(message, cause, retryable);
  }
}
