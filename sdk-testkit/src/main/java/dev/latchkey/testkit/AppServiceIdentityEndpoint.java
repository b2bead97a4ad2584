package dev.latchkey.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.latchkey.testkit.internal.HttpExchanges;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A managed identity endpoint on 127.0.0.1 shaped like the one Azure App Service and Functions run
 * beside an app, for the managed identity source of {@code latchkey-azure}.
 *
 * <p>It serves {@code GET /msi/token?api-version=2019-08-01&resource=...} with the header {@code
 * X-IDENTITY-HEADER}, and responds with {@code access_token}, {@code expires_on} (epoch seconds as a
 * string), {@code resource}, {@code token_type} and {@code client_id}. The token is issued by the
 * Entra ID tenant of an {@link OidcIssuer} for one system-assigned identity: {@code sub} and {@code
 * oid} are its principal id, {@code aud} is the requested resource, and it lives as long as the
 * issuer's tokens. A missing or wrong header gets 401, a wrong API version, a missing resource or a
 * user-assigned identity ({@code client_id}, {@code principal_id}, {@code mi_res_id}) gets 400.
 *
 * <p>{@link #environment()} returns the {@code IDENTITY_ENDPOINT} and {@code IDENTITY_HEADER}
 * variables that App Service sets; the header value is random per endpoint. Thread-safe; {@link
 * #close()} stops the server.
 */
public final class AppServiceIdentityEndpoint implements AutoCloseable {

  /** The only API version the endpoint accepts. */
  public static final String API_VERSION = "2019-08-01";

  private static final Logger LOG = LoggerFactory.getLogger(AppServiceIdentityEndpoint.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> USER_ASSIGNED_PARAMETERS = List.of("client_id", "principal_id", "mi_res_id");

  private final OidcIssuer issuer;
  private final String tenantId;
  private final String principalId;
  private final String clientId;
  private final byte[] identityHeader;
  private final ExecutorService executor;
  private final HttpServer server;

  private AppServiceIdentityEndpoint(OidcIssuer issuer, String tenantId, String principalId, String clientId)
      throws IOException {
    this.issuer = issuer;
    this.tenantId = tenantId;
    this.principalId = principalId;
    this.clientId = clientId;
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    this.identityHeader = HexFormat.of().formatHex(random).getBytes(StandardCharsets.US_ASCII);
    this.executor = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "app-service-identity");
      thread.setDaemon(true);
      return thread;
    });
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.setExecutor(executor);
    server.createContext("/msi/token", this::handle);
    server.start();
  }

  /**
   * Starts an endpoint for the system-assigned identity {@code principalId}, whose application id
   * is {@code clientId}, with tokens from the Entra ID tenant {@code tenantId} of {@code issuer}.
   *
   * @throws UncheckedIOException if the server cannot listen on 127.0.0.1
   */
  public static AppServiceIdentityEndpoint start(OidcIssuer issuer, String tenantId, String principalId,
      String clientId) {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(principalId, "principalId");
    Objects.requireNonNull(clientId, "clientId");
    try {
      return new AppServiceIdentityEndpoint(issuer, tenantId, principalId, clientId);
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to start the App Service identity endpoint on 127.0.0.1", e);
    }
  }

  /** Returns the token URL, the value of {@code IDENTITY_ENDPOINT}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/msi/token");
  }

  /** Returns {@code IDENTITY_ENDPOINT} and {@code IDENTITY_HEADER} as App Service sets them. */
  public Map<String, String> environment() {
    return Map.of("IDENTITY_ENDPOINT", endpoint().toString(),
        "IDENTITY_HEADER", new String(identityHeader, StandardCharsets.US_ASCII));
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "AppServiceIdentityEndpoint[" + endpoint() + ", principalId=" + principalId + "]";
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      Map<String, String> query = HttpExchanges.decodeForm(exchange.getRequestURI().getRawQuery());
      String header = exchange.getRequestHeaders().getFirst("X-IDENTITY-HEADER");
      if (!exchange.getRequestMethod().equals("GET")) {
        LOG.info("Rejected a {} request: use GET", exchange.getRequestMethod());
        HttpExchanges.sendJson(exchange, 405, error("invalid_request", "Use GET"));
        return;
      }
      if (header == null || !MessageDigest.isEqual(identityHeader, header.getBytes(StandardCharsets.US_ASCII))) {
        LOG.info("Rejected a token request with a missing or invalid X-IDENTITY-HEADER");
        HttpExchanges.sendJson(exchange, 401, error("unauthorized_client", "Missing or invalid X-IDENTITY-HEADER"));
        return;
      }
      String problem = invalidQuery(query);
      if (problem != null) {
        LOG.info("Rejected a token request: {}", problem);
        HttpExchanges.sendJson(exchange, 400, error("invalid_request", problem));
        return;
      }
      HttpExchanges.sendJson(exchange, 200, token(query.get("resource")));
    } catch (RuntimeException e) {
      LOG.warn("App Service identity endpoint failed to respond to {}", exchange.getRequestURI().getPath(), e);
      HttpExchanges.sendJson(exchange, 500, error("server_error", e.getClass().getSimpleName()));
    }
  }

  private static String invalidQuery(Map<String, String> query) {
    if (!API_VERSION.equals(query.get("api-version"))) {
      return "Unsupported api-version " + query.get("api-version") + ": use " + API_VERSION;
    }
    String resource = query.get("resource");
    if (resource == null || resource.isBlank()) {
      return "Missing resource";
    }
    for (String parameter : USER_ASSIGNED_PARAMETERS) {
      if (query.containsKey(parameter)) {
        return "No user-assigned identity is assigned: remove " + parameter;
      }
    }
    return null;
  }

  private String token(String resource) {
    Map<String, Object> claims = Map.of(
        "iss", OidcIssuer.entraIssuer(tenantId), "tid", tenantId, "oid", principalId, "appid", clientId);
    long lifetime = issuer.tokenLifetime().toSeconds();
    String token = issuer.issueToken(principalId, resource, claims, issuer.tokenLifetime());
    ObjectNode body = JSON.createObjectNode();
    body.put("access_token", token);
    body.put("expires_on", Long.toString(Instant.now().getEpochSecond() + lifetime));
    body.put("resource", resource);
    body.put("token_type", "Bearer");
    body.put("client_id", clientId);
    return body.toString();
  }

  private static String error(String code, String description) {
    ObjectNode body = JSON.createObjectNode();
    body.put("error", code);
    body.put("error_description", description);
    return body.toString();
  }
}
