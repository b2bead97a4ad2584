package dev.latchkey.auth;

import dev.latchkey.auth.internal.ClientAssertionAuthentication;
import dev.latchkey.auth.internal.PrivateKeyJwtAuthentication;
import dev.latchkey.auth.internal.SecretAuthentication;
import dev.latchkey.auth.internal.TlsClientAuthentication;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.ClientCertificate;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.SecretValue;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The way an OAuth 2.0 client proves its identity to a token endpoint (RFC 6749 section 2.3): a
 * client secret, a signed JWT, a JWT issued by someone else, or a TLS client certificate.
 *
 * <p>Create one with the static methods, which check their arguments at once, and pass it to
 * {@link TokenEndpoint.Builder#clientAuthentication(ClientAuthentication)}. The endpoint calls
 * {@link #parameters(URI, Instant)} once for every token request, so an assertion is never reused
 * and a rotated file is read again. Implementations are immutable and thread-safe, and their
 * {@code toString()} shows the method and client id only.
 */
public interface ClientAuthentication {

  /** The {@code client_assertion_type} of a JWT client assertion (RFC 7523 section 2.2). */
  String JWT_BEARER_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

  /** Returns the client id. */
  String clientId();

  /**
   * Returns the method name registered for {@code token_endpoint_auth_method} (RFC 7591), such as
   * {@code client_secret_basic} or {@code private_key_jwt}.
   */
  String method();

  /**
   * Returns the form parameters and headers that authenticate one token request.
   *
   * @param tokenEndpoint the URL the request goes to, the audience of a client assertion
   * @param now the current time, for the {@code iat} and {@code exp} of a client assertion
   * @throws dev.latchkey.credentials.CredentialException if a client assertion cannot be obtained
   */
  Parameters parameters(URI tokenEndpoint, Instant now);

  /**
   * Returns the source of the TLS client certificate for {@code tls_client_auth}; empty for every
   * other method.
   */
  default Optional<CredentialProvider<ClientCertificate>> tlsCertificate() {
    return Optional.empty();
  }

  /**
   * Sends the client id and secret in an HTTP Basic {@code Authorization} header, each
   * form-urlencoded before Base64 as RFC 6749 section 2.3.1 requires ({@code client_secret_basic}).
   */
  static ClientAuthentication clientSecretBasic(String clientId, SecretValue clientSecret) {
    return new SecretAuthentication(checkClientId(clientId), Objects.requireNonNull(clientSecret, "clientSecret"), true);
  }

  /** Sends the client id and secret as the form parameters {@code client_id} and {@code client_secret} ({@code client_secret_post}). */
  static ClientAuthentication clientSecretPost(String clientId, SecretValue clientSecret) {
    return new SecretAuthentication(checkClientId(clientId), Objects.requireNonNull(clientSecret, "clientSecret"), false);
  }

  /**
   * Signs a new JWT client assertion for every request ({@code private_key_jwt}, RFC 7523 section
   * 2.2), with a lifetime of 60 seconds and {@code iat} set 30 seconds back for clock skew.
   */
  static ClientAuthentication privateKeyJwt(String clientId, SigningKey signingKey) {
    return privateKeyJwt(clientId, signingKey, Duration.ofSeconds(60), Duration.ofSeconds(30));
  }

  /**
   * Signs a new JWT client assertion for every request ({@code private_key_jwt}). The assertion
   * has {@code iss} and {@code sub} set to the client id, {@code aud} set to the token endpoint URL,
   * a random {@code jti}, {@code iat} set {@code clockSkew} before now, and {@code exp} set {@code
   * lifetime} after now.
   *
   * @param lifetime how long the assertion is valid, from 1 second to 10 minutes
   * @param clockSkew how far {@code iat} is set back, so a server whose clock is behind still
   *     accepts it, from 0 to 5 minutes
   * @throws IllegalArgumentException if a duration is out of range
   */
  static ClientAuthentication privateKeyJwt(String clientId, SigningKey signingKey, Duration lifetime,
      Duration clockSkew) {
    return new PrivateKeyJwtAuthentication(checkClientId(clientId),
        Objects.requireNonNull(signingKey, "signingKey"), lifetime, clockSkew);
  }

  /**
   * Sends a JWT client assertion obtained from {@code assertions} for every request, with {@code
   * client_assertion_type} {@value #JWT_BEARER_ASSERTION_TYPE}. Use it when another party issues
   * the assertion, as in Azure workload identity federation, where a Kubernetes service-account
   * token file is the assertion: pass {@link TokenFileProvider}.
   */
  static ClientAuthentication clientAssertion(String clientId, CredentialProvider<AccessToken> assertions) {
    return new ClientAssertionAuthentication(checkClientId(clientId), Objects.requireNonNull(assertions, "assertions"));
  }

  /**
   * Presents a TLS client certificate and sends the client id as a form parameter ({@code
   * tls_client_auth}, RFC 8705 section 2.1). The certificate is fetched for every request, so a
   * {@link ClientCertificateSource} that re-reads rotated files takes effect without a restart.
   */
  static ClientAuthentication tlsClientAuth(String clientId, CredentialProvider<ClientCertificate> certificates) {
    return new TlsClientAuthentication(checkClientId(clientId), Objects.requireNonNull(certificates, "certificates"));
  }

  private static String checkClientId(String clientId) {
    Objects.requireNonNull(clientId, "clientId");
    if (clientId.isBlank()) {
      throw new IllegalArgumentException("Invalid client id '': pass the id the authorization server registered");
    }
    return clientId;
  }

  /**
   * Form parameters and headers that authenticate one token request. Values may be secrets, so
   * {@link #toString()} prints only the names.
   *
   * @param formParameters parameters added to the request body
   * @param headers headers added to the request, such as {@code Authorization}
   */
  record Parameters(Map<String, String> formParameters, Map<String, String> headers) {

    public Parameters {
      formParameters = Map.copyOf(formParameters);
      headers = Map.copyOf(headers);
    }

    @Override
    public String toString() {
      return "Parameters[formParameters=" + formParameters.keySet() + ", headers=" + headers.keySet() + "]";
    }
  }
}
