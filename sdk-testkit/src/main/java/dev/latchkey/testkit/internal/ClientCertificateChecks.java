package dev.latchkey.testkit.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import javax.net.ssl.X509TrustManager;

/** Client certificate checks of the mTLS token endpoint (RFC 8705). */
public final class ClientCertificateChecks {

  private ClientCertificateChecks() {}

  /** Returns the base64url SHA-256 thumbprint of the certificate's DER encoding, the {@code x5t#S256}. */
  public static String thumbprint(X509Certificate certificate) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot compute the SHA-256 thumbprint of " + certificate.getSubjectX500Principal(), e);
    }
  }

  /**
   * Validates {@code chain} (leaf first) against {@code authority} with PKIX, without revocation
   * checks, and returns why it failed, or {@code null} when it is valid.
   */
  public static String chainProblem(List<X509Certificate> chain, X509Certificate authority) {
    List<X509Certificate> path = chain.stream().filter(certificate -> !certificate.equals(authority)).toList();
    try {
      PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(authority, null)));
      parameters.setRevocationEnabled(false);
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(path), parameters);
      return null;
    } catch (CertificateEncodingException e) {
      return "the certificate cannot be encoded: " + e.getMessage();
    } catch (GeneralSecurityException e) {
      return "the certificate does not chain to the endpoint's authority (" + e.getMessage() + ")";
    }
  }

  /**
   * Returns a trust manager that accepts every client certificate chain, because the endpoint
   * checks the certificate against the client's registration after the handshake, and the
   * self-signed method has no chain to validate. It trusts no server.
   */
  public static X509TrustManager anyClientCertificate() {
    return new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {
        if (chain == null || chain.length == 0) {
          throw new IllegalArgumentException("Missing client certificate chain");
        }
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType)
          throws CertificateException {
        throw new CertificateException("This trust manager checks client certificates only");
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
  }
}
