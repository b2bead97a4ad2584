package dev.latchkey.azure.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * mock-oauth2-server on 127.0.0.1 shaped like the Microsoft identity platform: its token endpoint is
 * {@code {authorityHost}/{tenant}/oauth2/v2.0/token}, and its tokens carry the {@code iss} and {@code
 * aud} of Azure Storage tokens ({@code https://sts.windows.net/{tenant}/} and {@code
 * https://storage.azure.com}) with {@code nbf}, {@code iat} and {@code exp}.
 *
 * <p>mock-oauth2-server takes the path before {@code /token} as the issuer id, so the token callback
 * is registered for the issuer id {@code {tenant}/oauth2/v2.0}. It checks no client secret or
 * assertion; tests inspect what was sent with {@link #takeForm()}.
 */
public final class EntraTestIssuer implements AutoCloseable {

  private final MockOAuth2Server server;
  private final String tenantId;

  private EntraTestIssuer(MockOAuth2Server server, String tenantId) {
    this.server = server;
    this.tenantId = tenantId;
  }

  /** Starts an issuer for {@code tenantId} whose tokens live {@code tokenLifetime}, in whole seconds. */
  public static EntraTestIssuer start(String tenantId, Duration tokenLifetime) {
    MockOAuth2Server server = new MockOAuth2Server(OAuth2Config.Companion.fromJson(config(tenantId, tokenLifetime)));
    try {
      server.start(InetAddress.getByName("127.0.0.1"), 0);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
    return new EntraTestIssuer(server, tenantId);
  }

  /** Returns the authority host, {@code http://127.0.0.1:PORT}. */
  public URI authorityHost() {
    HttpUrl base = server.baseUrl();
    return URI.create("http://127.0.0.1:" + base.port());
  }

  /** Returns the token endpoint URL that Entra ID sources should post to. */
  public String tokenEndpoint() {
    return authorityHost() + "/" + tenantId + "/oauth2/v2.0/token";
  }

  /** Returns the {@code iss} of the issued tokens. */
  public String stsIssuer() {
    return "https://sts.windows.net/" + tenantId + "/";
  }

  /** Issues a JWT directly, such as a federated token that a Kubernetes cluster would write. */
  public String issueToken(String subject, String audience) {
    return server.issueToken("kubernetes", subject, audience, Map.of(), 3600L).serialize();
  }

  /** Returns the next request the server received, waiting up to 5 seconds. */
  public RecordedRequest takeRequest() {
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    if (request == null) {
      throw new AssertionError("mock-oauth2-server received no request within 5 seconds");
    }
    return request;
  }

  /** Returns the form parameters of the next request, decoded. */
  public Map<String, String> takeForm() {
    return parseForm(takeRequest().getBody().readUtf8());
  }

  public static Map<String, String> parseForm(String body) {
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int equals = pair.indexOf('=');
      form.put(decode(pair.substring(0, equals)), decode(pair.substring(equals + 1)));
    }
    return form;
  }

  @Override
  public void close() {
    server.shutdown();
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  private static String config(String tenantId, Duration tokenLifetime) {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("interactiveLogin", false);
    root.put("httpServer", "MockWebServerWrapper");
    ObjectNode callback = root.putArray("tokenCallbacks").addObject();
    callback.put("issuerId", tenantId + "/oauth2/v2.0");
    callback.put("tokenExpiry", tokenLifetime.toSeconds());
    ObjectNode mapping = callback.putArray("requestMappings").addObject();
    mapping.put("requestParam", "grant_type");
    mapping.put("match", "*");
    ObjectNode claims = mapping.putObject("claims");
    claims.put("sub", "service-principal-object-id");
    claims.put("iss", "https://sts.windows.net/" + tenantId + "/");
    claims.put("aud", "https://storage.azure.com");
    claims.put("tid", tenantId);
    return root.toString();
  }
}
