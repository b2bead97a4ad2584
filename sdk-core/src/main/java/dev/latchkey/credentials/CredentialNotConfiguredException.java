package dev.latchkey.credentials;

/**
 * A credential source is not set up in this environment: the variables, file or endpoint it reads
 * are absent. A chain of providers treats this as "try the next one", not as a failure.
 */
public class CredentialNotConfiguredException extends CredentialException {

  private static final long serialVersionUID = 1L;

  public CredentialNotConfiguredException(String message) {
    super(message, false);
  }
}
