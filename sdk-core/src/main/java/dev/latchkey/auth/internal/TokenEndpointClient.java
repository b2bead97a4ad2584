package dev.latchkey.auth.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.latchkey.RetryAfter;
import dev.latchkey.auth.ClientAuthentication;
import dev.latchkey.auth.OAuthErrorException;
import dev.latchkey.auth.TokenEndpointException;
import dev.latchkey.credentials.AccessToken;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.URI;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends token requests (RFC 6749 section 3.2) and turns responses into tokens or typed errors.
 *
 * <p>Thread-safe. Redirects are never followed. Response bodies are read up to a limit. Nothing
 * secret is logged: the endpoint URL, the grant type, the client id and the method are.
 */
public final class TokenEndpointClient {

  private static final Logger log = LoggerFactory.getLogger(TokenEndpointClient.class);
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private final ClientAuthentication authentication;
  private final HttpClients httpClients;
  private final InstantSource clock;
  private final TokenResponseParser parser;
  private final int maxResponseBytes;

  public TokenEndpointClient(ClientAuthentication authentication, OkHttpClient httpClient, InstantSource clock,
      Duration defaultLifetime, int maxResponseBytes) {
    this.authentication = authentication;
    this.httpClients = new HttpClients(httpClient, authentication == null ? null
        : authentication.tlsCertificate().orElse(null));
    this.clock = clock;
    this.parser = new TokenResponseParser(defaultLifetime);
    this.maxResponseBytes = maxResponseBytes;
  }

  /**
   * Sends one token request with {@code grantParameters} plus the client authentication.
   *
   * @throws OAuthErrorException if the server sent an OAuth 2.0 error response
   * @throws TokenEndpointException for every other failure
   */
  public AccessToken requestToken(URI endpoint, Map<String, List<String>> grantParameters) {
    String url = Endpoints.describe(endpoint);
    Instant issuedAt = clock.instant();
    Request request = buildRequest(endpoint, grantParameters, issuedAt);
    log.debug("Requesting a token from {} with grant type {} as client {} ({})", url,
        first(grantParameters, "grant_type"), clientId(), method());
    try (Response response = httpClients.current().newCall(request).execute()) {
      byte[] body = readBody(response, url);
      if (response.code() != 200) {
        throw errorFor(response, body, url);
      }
      AccessToken token = parser.parse(body, issuedAt, requestedScopes(grantParameters),
          first(grantParameters, "audience"), url);
      log.debug("Received token {} from {}, expiring at {}", token.id(), url, token.expiresAt().orElse(null));
      return token;
    } catch (IOException e) {
      throw ioFailure(url, e);
    }
  }

  private Request buildRequest(URI endpoint, Map<String, List<String>> grantParameters, Instant now) {
    FormBody.Builder form = new FormBody.Builder();
    grantParameters.forEach((name, values) -> values.forEach(value -> form.add(name, value)));
    Request.Builder request = new Request.Builder().url(endpoint.toString()).header("Accept", "application/json");
    if (authentication != null) {
      ClientAuthentication.Parameters parameters = authentication.parameters(endpoint, now);
      parameters.formParameters().forEach(form::add);
      parameters.headers().forEach(request::header);
    }
    return request.post(form.build()).build();
  }

  private byte[] readBody(Response response, String url) throws IOException {
    try {
      return HttpBodies.read(response.body(), maxResponseBytes);
    } catch (HttpBodies.BodyTooLargeException e) {
      throw new TokenEndpointException("Invalid response from token endpoint " + url + " (HTTP "
          + response.code() + "): " + e.getMessage(), null, false, response.code(), null);
    }
  }

  private TokenEndpointException ioFailure(String url, IOException e) {
    String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    if (presentsCertificate() && mayBeCertificateRejection(e)) {
      return new TokenEndpointException("Token request to " + url + " failed in or right after the TLS handshake ("
          + detail + "): the server may have rejected the client certificate of client '" + clientId() + "' ("
          + method() + "). Check that the certificate is the one registered for the client, chains to a"
          + " certificate authority the server trusts, and has not expired; the request is not retried",
          e, false, 0, null);
    }
    String reason = e instanceof InterruptedIOException ? "timed out" : "failed";
    return new TokenEndpointException("Token request to " + url + " " + reason + " (" + detail
        + "); it may succeed if tried again", e, true, 0, null);
  }

  private boolean presentsCertificate() {
    return authentication != null && authentication.tlsCertificate().isPresent();
  }

  /**
   * Returns whether a failure looks like a server that ended the TLS handshake because of the client
   * certificate: a TLS error other than the client's own check of the server certificate, a reset
   * connection, a broken pipe, or the connection closed before a response. With TLS 1.3 the client
   * finishes its side of the handshake before the server checks the certificate, so the rejection
   * often shows up only on the first write or read, as one of the last three.
   *
   * <p>NOTE: a proxy or server that closes or resets the connection just after the handshake for
   * another reason looks the same, and is then not retried either.
   */
  private static boolean mayBeCertificateRejection(IOException e) {
    if (e instanceof SSLException) {
      return !causedByServerCertificateCheck(e);
    }
    String message = e.getMessage();
    boolean resetOrBrokenPipe = e instanceof SocketException && message != null
        && (message.contains("Broken pipe") || message.contains("Connection reset"));
    return resetOrBrokenPipe || closedBeforeResponse(e);
  }

  /** Returns whether OkHttp found the connection closed before a response, which it wraps around an EOF. */
  private static boolean closedBeforeResponse(IOException e) {
    return e instanceof EOFException || e.getCause() instanceof EOFException;
  }

  private static boolean causedByServerCertificateCheck(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof CertificateException || cause instanceof SSLPeerUnverifiedException) {
        return true;
      }
    }
    return false;
  }

  private RuntimeException errorFor(Response response, byte[] body, String url) {
    int status = response.code();
    Duration retryAfter = RetryAfter.parse(response.header("Retry-After"), clock.instant()).orElse(null);
    if (status >= 300 && status < 400) {
      return new TokenEndpointException("Token endpoint " + url + " returned HTTP " + status
          + " with a redirect; token requests do not follow redirects, so configure the final URL", null, false,
          status, null);
    }
    JsonNode error = errorObject(body);
    if (error != null && status < 500 && status != 429) {
      return oauthError(error, status, url);
    }
    boolean retryable = status >= 500 || status == 429 || status == 408;
    String code = error == null ? "" : " (error " + error.get("error").asText() + ")";
    return new TokenEndpointException("Token request to " + url + " failed with HTTP " + status + code
        + (retryable ? "; it may succeed if tried again" : ""), null, retryable, status, retryAfter);
  }

  private static OAuthErrorException oauthError(JsonNode error, int status, String url) {
    String code = error.get("error").asText();
    String description = textOrNull(error, "error_description");
    String uri = textOrNull(error, "error_uri");
    String message = "Token endpoint " + url + " rejected the request (HTTP " + status + "): " + code
        + (description == null ? "" : ": " + description);
    return new OAuthErrorException(message, code, description, uri, status);
  }

  /** Returns the body as an RFC 6749 section 5.2 error object, or {@code null} if it is not one. */
  private static JsonNode errorObject(byte[] body) {
    try {
      JsonNode root = MAPPER.readTree(body);
      return root != null && root.isObject() && root.path("error").isTextual() ? root : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String textOrNull(JsonNode node, String name) {
    JsonNode value = node.get(name);
    if (value == null || !value.isTextual()) {
      return null;
    }
    String text = value.asText();
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }

  private static String first(Map<String, List<String>> parameters, String name) {
    List<String> values = parameters.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static Set<String> requestedScopes(Map<String, List<String>> grantParameters) {
    String scope = first(grantParameters, "scope");
    if (scope == null || scope.isBlank()) {
      return Set.of();
    }
    return new LinkedHashSet<>(Arrays.asList(scope.trim().split(" +")));
  }

  private String clientId() {
    return authentication == null ? "(none)" : authentication.clientId();
  }

  private String method() {
    return authentication == null ? "no client authentication" : authentication.method();
  }
}
