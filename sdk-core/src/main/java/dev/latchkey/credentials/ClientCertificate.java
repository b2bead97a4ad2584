package dev.latchkey.credentials;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A private key and its X.509 certificate chain, for mutual TLS (RFC 8705) or for signing client
 * assertions.
 *
 * <p>{@link #id()} is {@code x5t#S256:} followed by the base64url SHA-256 thumbprint of the leaf
 * certificate (the JWS {@code x5t#S256} header value). The expiry is the leaf's {@code notAfter}.
 */
public final class ClientCertificate implements Credential {

  private final PrivateKey privateKey;
  private final List<X509Certificate> chain;
  private final String thumbprint;

  private ClientCertificate(PrivateKey privateKey, List<X509Certificate> chain) {
    this.privateKey = privateKey;
    this.chain = List.copyOf(chain);
    this.thumbprint = sha256Thumbprint(chain.get(0));
  }

  /**
   * Creates a client certificate.
   *
   * @param chain the leaf certificate first, then any intermediates
   * @throws IllegalArgumentException if the chain is empty
   */
  public static ClientCertificate of(PrivateKey privateKey, List<X509Certificate> chain) {
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(chain, "chain");
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("A client certificate chain needs at least the leaf certificate");
    }
    return new ClientCertificate(privateKey, chain);
  }

  public PrivateKey privateKey() {
    return privateKey;
  }

  /** Returns the chain, leaf first; unmodifiable. */
  public List<X509Certificate> chain() {
    return chain;
  }

  public X509Certificate leaf() {
    return chain.get(0);
  }

  /** Returns the base64url SHA-256 thumbprint of the leaf certificate's DER encoding. */
  public String sha256Thumbprint() {
    return thumbprint;
  }

  @Override
  public String id() {
    return "x5t#S256:" + thumbprint;
  }

  @Override
  public Optional<Instant> expiresAt() {
    return Optional.of(leaf().getNotAfter().toInstant());
  }

  @Override
  public String toString() {
    return "ClientCertificate[id=" + id() + ", subject=" + leaf().getSubjectX500Principal().getName()
        + ", expiresAt=" + expiresAt().orElseThrow() + "]";
  }

  private static String sha256Thumbprint(X509Certificate certificate) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalArgumentException("Cannot compute the SHA-256 thumbprint of the leaf certificate", e);
    }
  }
}
