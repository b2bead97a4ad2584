package dev.latchkey.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.latchkey.testkit.internal.ClientCertificateChecks;
import dev.latchkey.testkit.internal.HttpExchanges;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.x500.X500Principal;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OAuth 2.0 token endpoint on 127.0.0.1 that authenticates clients by their TLS client
 * certificate (RFC 8705 section 2), for the client credentials grant, with tokens signed by an
 * {@link OidcIssuer}.
 *
 * <p>It serves HTTPS at {@link #tokenEndpoint()} with a server certificate for {@code 127.0.0.1}
 * from a certificate authority made at start; clients trust it through {@link #sslSocketFactory()}
 * and {@link #trustManager()}. The TLS handshake requires a client certificate, so a client without
 * one gets no response. Each client is registered with one of the two methods of RFC 8705:
 *
 * <ul>
 *   <li>{@code tls_client_auth} (section 2.1): the certificate must chain to this endpoint's
 *       authority, which issues it with {@link #issueClientCertificate(String)}, and carry the
 *       registered subject distinguished name;
 *   <li>{@code self_signed_tls_client_auth} (section 2.2): the certificate must be the registered
 *       one, compared by its SHA-256 thumbprint ({@code x5t#S256}); its chain is not checked.
 * </ul>
 *
 * <p>A request whose certificate does not match its {@code client_id} gets 401 {@code
 * invalid_client}. A token has {@code sub} set to the client id, the configured audience, and the
 * confirmation claim {@code cnf} with the certificate's {@code x5t#S256} (RFC 8705 section 3.1), so a
 * resource server could bind the token to the certificate. Thread-safe; {@link #close()} stops the
 * server. The private keys exist only in memory.
 */
public final class MutualTlsTokenEndpoint implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MutualTlsTokenEndpoint.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> OTHER_AUTHENTICATION = List.of("client_secret", "client_assertion");

  private final OidcIssuer issuer;
  private final List<String> audience;
  private final Map<String, Registration> clients;
  private final HeldCertificate authority;
  private final HandshakeCertificates clientTrust;
  private final ExecutorService executor;
  private final HttpsServer server;

  private MutualTlsTokenEndpoint(Builder builder) throws IOException, GeneralSecurityException {
    this.issuer = builder.issuer;
    this.audience = List.copyOf(builder.audience);
    this.clients = Map.copyOf(builder.clients);
    this.authority = new HeldCertificate.Builder()
        .certificateAuthority(0)
        .commonName("Latchkey testkit mTLS authority")
        .build();
    HeldCertificate serverCertificate = new HeldCertificate.Builder()
        .commonName("127.0.0.1")
        .addSubjectAlternativeName("127.0.0.1")
        .addSubjectAlternativeName("localhost")
        .signedBy(authority)
        .build();
    this.clientTrust = new HandshakeCertificates.Builder().addTrustedCertificate(authority.certificate()).build();
    this.executor = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "mtls-token-endpoint");
      thread.setDaemon(true);
      return thread;
    });
    this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    TrustManager clientCertificates = builder.checkChainInHandshake
        ? clientTrust.trustManager() : ClientCertificateChecks.anyClientCertificate();
    server.setHttpsConfigurator(new ClientCertificateRequired(serverContext(serverCertificate, clientCertificates)));
    server.setExecutor(executor);
    server.createContext("/token", this::handle);
    server.start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Returns the token endpoint URL, {@code https://127.0.0.1:PORT/token}. */
  public URI tokenEndpoint() {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/token");
  }

  /** Returns a socket factory that trusts only this endpoint's authority, without a client certificate. */
  public SSLSocketFactory sslSocketFactory() {
    return clientTrust.sslSocketFactory();
  }

  /** Returns a trust manager that trusts only this endpoint's authority. */
  public X509TrustManager trustManager() {
    return clientTrust.trustManager();
  }

  /**
   * Issues a client certificate from this endpoint's authority, with the subject {@code CN=commonName}
   * and an EC P-256 key, valid for 24 hours, for a client registered with {@code tls_client_auth}.
   */
  public HeldCertificate issueClientCertificate(String commonName) {
    return new HeldCertificate.Builder().commonName(commonName).signedBy(authority).build();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "MutualTlsTokenEndpoint[" + tokenEndpoint() + ", clients=" + clients.keySet() + "]";
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      Map<String, String> form = HttpExchanges.decodeForm(HttpExchanges.readBody(exchange));
      List<X509Certificate> chain = peerChain((HttpsExchange) exchange);
      TokenReply reply = reply(form, chain);
      HttpExchanges.sendJson(exchange, reply.status(), reply.json());
    } catch (RuntimeException e) {
      LOG.warn("mTLS token endpoint failed to respond", e);
      HttpExchanges.sendJson(exchange, 500, error("server_error", e.getClass().getSimpleName()).json());
    }
  }

  private TokenReply reply(Map<String, String> form, List<X509Certificate> chain) {
    String clientId = form.get("client_id");
    if (!"client_credentials".equals(form.get("grant_type"))) {
      LOG.info("Rejected grant_type {} of client {}", form.get("grant_type"), clientId);
      return error("unsupported_grant_type", "Unsupported grant_type " + form.get("grant_type")
          + ": use client_credentials");
    }
    if (OTHER_AUTHENTICATION.stream().anyMatch(form::containsKey)) {
      LOG.info("Rejected a token request of client {} with a second authentication method", clientId);
      return error("invalid_request", "Use only one client authentication method: the TLS certificate");
    }
    Registration registration = clientId == null ? null : clients.get(clientId);
    String mismatch = registration == null ? "unknown client_id " + clientId : registration.mismatch(chain, authority);
    if (mismatch != null) {
      LOG.info("Rejected the TLS client certificate {} for client {}: {}",
          ClientCertificateChecks.thumbprint(chain.get(0)), clientId, mismatch);
      return new TokenReply(401, error("invalid_client", "Client authentication failed: " + mismatch).json());
    }
    return issue(clientId, ClientCertificateChecks.thumbprint(chain.get(0)), form.get("scope"));
  }

  private TokenReply issue(String clientId, String thumbprint, String scope) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("client_id", clientId);
    claims.put("cnf", Map.of("x5t#S256", thumbprint));
    if (scope != null) {
      claims.put("scope", scope);
    }
    String token = issuer.issueToken(clientId, String.join(" ", audience), claims, issuer.tokenLifetime());
    ObjectNode body = JSON.createObjectNode();
    body.put("access_token", token);
    body.put("token_type", "Bearer");
    body.put("expires_in", issuer.tokenLifetime().toSeconds());
    if (scope != null) {
      body.put("scope", scope);
    }
    return new TokenReply(200, body.toString());
  }

  private static List<X509Certificate> peerChain(HttpsExchange exchange) {
    try {
      return Arrays.stream(exchange.getSSLSession().getPeerCertificates())
          .map(X509Certificate.class::cast)
          .toList();
    } catch (SSLPeerUnverifiedException e) {
      // The handshake requires a certificate, so a request without one never reaches this handler.
      throw new IllegalStateException("TLS session without a client certificate", e);
    }
  }

  private static TokenReply error(String code, String description) {
    ObjectNode body = JSON.createObjectNode();
    body.put("error", code);
    body.put("error_description", description);
    return new TokenReply(400, body.toString());
  }

  private static SSLContext serverContext(HeldCertificate serverCertificate, TrustManager clientCertificates)
      throws GeneralSecurityException {
    HandshakeCertificates server = new HandshakeCertificates.Builder()
        .heldCertificate(serverCertificate)
        .build();
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(new KeyManager[] {server.keyManager()},
        new TrustManager[] {clientCertificates}, null);
    return context;
  }

  private record TokenReply(int status, String json) {}

  /** A registered client: the subject DN for {@code tls_client_auth} or the thumbprint for the self-signed method. */
  private record Registration(X500Principal subject, String thumbprint) {

    String mismatch(List<X509Certificate> chain, HeldCertificate authority) {
      X509Certificate leaf = chain.get(0);
      if (thumbprint != null) {
        return thumbprint.equals(ClientCertificateChecks.thumbprint(leaf)) ? null
            : "the certificate's x5t#S256 is not the registered one";
      }
      String chainProblem = ClientCertificateChecks.chainProblem(chain, authority.certificate());
      if (chainProblem != null) {
        return chainProblem;
      }
      return subject.equals(leaf.getSubjectX500Principal()) ? null
          : "the certificate's subject " + leaf.getSubjectX500Principal().getName() + " is not the registered one";
    }
  }

  /** Requires a client certificate in every handshake. */
  private static final class ClientCertificateRequired extends HttpsConfigurator {

    ClientCertificateRequired(SSLContext context) {
      super(context);
    }

    @Override
    public void configure(HttpsParameters parameters) {
      SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
      ssl.setNeedClientAuth(true);
      parameters.setSSLParameters(ssl);
    }
  }

  /** Builder for {@link MutualTlsTokenEndpoint}; not thread-safe. */
  public static final class Builder {
    private OidcIssuer issuer;
    private List<String> audience = List.of(Sandbox.STS_AUDIENCE);
    private final Map<String, Registration> clients = new LinkedHashMap<>();
    private boolean checkChainInHandshake;

    private Builder() {}

    /** Sets the issuer that signs the tokens; required. */
    public Builder issuer(OidcIssuer issuer) {
      this.issuer = Objects.requireNonNull(issuer, "issuer");
      return this;
    }

    /** Sets the {@code aud} of issued tokens; {@link Sandbox#STS_AUDIENCE} by default, so the sandbox STS accepts them. */
    public Builder audience(String... audience) {
      if (audience.length == 0) {
        throw new IllegalArgumentException("Invalid audience: name at least one");
      }
      this.audience = List.of(audience);
      return this;
    }

    /**
     * Registers a client for {@code tls_client_auth}: its certificate must come from {@link
     * #issueClientCertificate(String)} and have the subject {@code subjectDn}, such as {@code
     * CN=report-exporter}.
     *
     * @throws IllegalArgumentException if {@code subjectDn} is not a distinguished name
     */
    public Builder tlsClientAuth(String clientId, String subjectDn) {
      clients.put(requireClientId(clientId), new Registration(new X500Principal(subjectDn), null));
      return this;
    }

    /**
     * Makes the TLS handshake reject a client certificate that does not chain to this endpoint's
     * authority, as servers do that check {@code tls_client_auth} certificates in the TLS layer. The
     * client then gets no HTTP response at all, and a self-signed certificate can no longer be used.
     * By default the handshake accepts any certificate and the token request gets 401
     * {@code invalid_client}.
     */
    public Builder checkChainInHandshake() {
      this.checkChainInHandshake = true;
      return this;
    }

    /** Registers a client for {@code self_signed_tls_client_auth} with its one certificate. */
    public Builder selfSignedTlsClientAuth(String clientId, X509Certificate certificate) {
      Objects.requireNonNull(certificate, "certificate");
      clients.put(requireClientId(clientId), new Registration(null, ClientCertificateChecks.thumbprint(certificate)));
      return this;
    }

    /**
     * Starts the endpoint on 127.0.0.1 with an ephemeral port.
     *
     * @throws IllegalStateException if no issuer is set
     * @throws UncheckedIOException if the server cannot listen on 127.0.0.1
     */
    public MutualTlsTokenEndpoint start() {
      if (issuer == null) {
        throw new IllegalStateException("An mTLS token endpoint needs issuer(...)");
      }
      try {
        return new MutualTlsTokenEndpoint(this);
      } catch (IOException e) {
        throw new UncheckedIOException("Failed to start the mTLS token endpoint on 127.0.0.1", e);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("Failed to set up TLS for the mTLS token endpoint", e);
      }
    }

    private static String requireClientId(String clientId) {
      Objects.requireNonNull(clientId, "clientId");
      if (clientId.isBlank()) {
        throw new IllegalArgumentException("Invalid client id '': pass the client_id that token requests send");
      }
      return clientId;
    }
  }
}
