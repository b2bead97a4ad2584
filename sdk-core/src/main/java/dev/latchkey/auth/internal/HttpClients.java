package dev.latchkey.auth.internal;

import dev.latchkey.credentials.ClientCertificate;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialProvider;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP client for token requests: the configured one, or for {@code tls_client_auth} a client
 * that presents the current client certificate.
 *
 * <p>The certificate is fetched for every request. When its thumbprint changes, a new client with
 * its own connection pool replaces the old one and the old pool is emptied, so no connection made
 * with a rotated certificate is reused. Thread-safe.
 */
final class HttpClients {

  private static final Logger log = LoggerFactory.getLogger(HttpClients.class);

  private final OkHttpClient base;
  private final CredentialProvider<ClientCertificate> certificates;
  private volatile TlsClient tlsClient;

  HttpClients(OkHttpClient base, CredentialProvider<ClientCertificate> certificates) {
    this.base = base;
    this.certificates = certificates;
  }

  OkHttpClient current() {
    if (certificates == null) {
      return base;
    }
    ClientCertificate certificate = certificates.fetch();
    TlsClient current = tlsClient;
    if (current != null && current.certificateId().equals(certificate.id())) {
      return current.client();
    }
    return replace(current, certificate);
  }

  private synchronized OkHttpClient replace(TlsClient previous, ClientCertificate certificate) {
    if (tlsClient != previous && tlsClient.certificateId().equals(certificate.id())) {
      return tlsClient.client();
    }
    log.info("Using TLS client certificate {} for token requests", certificate.id());
    OkHttpClient client = withCertificate(certificate);
    tlsClient = new TlsClient(certificate.id(), client);
    if (previous != null) {
      previous.client().connectionPool().evictAll();
    }
    return client;
  }

  private OkHttpClient withCertificate(ClientCertificate certificate) {
    try {
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(null, null);
      char[] password = new char[0];
      keyStore.setKeyEntry("client", certificate.privateKey(), password,
          certificate.chain().toArray(new Certificate[0]));
      KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(keyStore, password);
      X509TrustManager trustManager = trustManager();
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers.getKeyManagers(), new TrustManager[] {trustManager}, null);
      return base.newBuilder()
          .sslSocketFactory(context.getSocketFactory(), trustManager)
          .connectionPool(new ConnectionPool())
          .build();
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new CredentialException("Cannot set up TLS with client certificate " + certificate.id()
          + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(), e, false);
    }
  }

  /** Returns the trust manager of the configured client, or the JDK's default one. */
  private X509TrustManager trustManager() throws GeneralSecurityException {
    X509TrustManager configured = base.x509TrustManager();
    if (configured != null) {
      return configured;
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("The JDK has no default X.509 trust manager");
  }

  private record TlsClient(String certificateId, OkHttpClient client) {}
}
