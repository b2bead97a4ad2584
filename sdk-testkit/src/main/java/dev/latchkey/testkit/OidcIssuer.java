package dev.latchkey.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import okhttp3.HttpUrl;

/**
 * An OAuth 2.0 and OpenID Connect issuer on 127.0.0.1: mock-oauth2-server 6.0.2, embedded, with one
 * issuer whose tokens live a chosen number of seconds.
 *
 * <p>It issues signed JWTs for the client credentials grant (with {@code client_secret_basic}, {@code
 * client_secret_post} and {@code private_key_jwt}), the JWT bearer grant and token exchange, and
 * publishes its discovery document and JWKS. It does not check client secrets or assertions: a test of
 * a rejected secret needs a scripted answer from a {@link FaultInjectingProxy} or MockWebServer.
 *
 * <p>Every token carries the configured subject, audience and extra claims, whatever the request.
 *
 * <p>With {@link Builder#entraTenant(String)} it also serves a tenant shaped like the Microsoft
 * identity platform, for the Entra ID sources of {@code latchkey-azure}: their token endpoint is
 * {@code {authorityHost()}/{tenant}/oauth2/v2.0/token}, and the tokens carry the {@code iss} and
 * {@code aud} that Azure Storage expects ({@code https://sts.windows.net/{tenant}/} and {@code
 * https://storage.azure.com}). mock-oauth2-server signs them, so only a server that does not
 * check them against Microsoft's keys accepts them: Azurite with {@code --oauth basic} checks the
 * claims but not the signature.
 */
public final class OidcIssuer implements AutoCloseable {

  private final MockOAuth2Server server;
  private final String issuerId;
  private final Duration tokenLifetime;

  private OidcIssuer(MockOAuth2Server server, String issuerId, Duration tokenLifetime) {
    this.server = server;
    this.issuerId = issuerId;
    this.tokenLifetime = tokenLifetime;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Returns the issuer URL, the {@code iss} of its tokens. */
  public HttpUrl issuerUrl() {
    return server.issuerUrl(issuerId);
  }

  public HttpUrl tokenEndpoint() {
    return server.tokenEndpointUrl(issuerId);
  }

  public HttpUrl jwksUrl() {
    return server.jwksUrl(issuerId);
  }

  /** Returns the URL of the OpenID Connect discovery document. */
  public HttpUrl discoveryUrl() {
    return server.wellKnownUrl(issuerId);
  }

  /**
   * Returns the authority host of the Entra ID tenants, {@code http://127.0.0.1:PORT}, for the
   * {@code authorityHost(...)} setters of the Entra ID sources.
   */
  public URI authorityHost() {
    return URI.create("http://127.0.0.1:" + server.baseUrl().port());
  }

  /** Returns the {@code iss} of the Entra ID tokens of {@code tenantId}. */
  public static String entraIssuer(String tenantId) {
    return "https://sts.windows.net/" + tenantId + "/";
  }

  /** Returns the lifetime of the tokens the token endpoint issues. */
  public Duration tokenLifetime() {
    return tokenLifetime;
  }

  /**
   * Issues a signed JWT directly, without a token request: for example the web identity token that a
   * Kubernetes service account or a CI system would hand to a workload.
   *
   * @param lifetime how long the token is valid, at least 1 second
   */
  public String issueToken(String subject, String audience, Map<String, ?> claims, Duration lifetime) {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(audience, "audience");
    if (lifetime.toSeconds() < 1) {
      throw new IllegalArgumentException("Invalid token lifetime " + lifetime + ": use 1 second or more");
    }
    return server.issueToken(issuerId, subject, audience, Map.copyOf(claims), lifetime.toSeconds()).serialize();
  }

  /** Returns the underlying server, for what this class does not cover (such as {@code takeRequest}). */
  public MockOAuth2Server server() {
    return server;
  }

  @Override
  public void close() {
    server.shutdown();
  }

  /** Builder for {@link OidcIssuer}; not thread-safe. */
  public static final class Builder {
    private String issuerId = "latchkey";
    private Duration tokenLifetime = Duration.ofHours(1);
    private String subject = "workload";
    private List<String> audience = List.of("latchkey");
    private final Map<String, Object> claims = new LinkedHashMap<>();
    private final List<String> entraTenants = new ArrayList<>();

    private Builder() {}

    /** Sets the issuer id, the last path segment of the issuer URL; {@code latchkey} by default. */
    public Builder issuerId(String issuerId) {
      Objects.requireNonNull(issuerId, "issuerId");
      if (!issuerId.matches("[A-Za-z0-9._-]+")) {
        throw new IllegalArgumentException(
            "Invalid issuer id '" + issuerId + "': use letters, digits, '.', '_' and '-'");
      }
      this.issuerId = issuerId;
      return this;
    }

    /** Sets the lifetime of issued tokens, in whole seconds from 1; one hour by default. */
    public Builder tokenLifetime(Duration tokenLifetime) {
      Objects.requireNonNull(tokenLifetime, "tokenLifetime");
      if (tokenLifetime.toSeconds() < 1) {
        throw new IllegalArgumentException("Invalid token lifetime " + tokenLifetime + ": use 1 second or more");
      }
      this.tokenLifetime = tokenLifetime;
      return this;
    }

    /** Sets the {@code sub} claim of issued tokens; {@code workload} by default. */
    public Builder subject(String subject) {
      this.subject = Objects.requireNonNull(subject, "subject");
      return this;
    }

    /** Sets the {@code aud} claim of issued tokens; {@code latchkey} by default. */
    public Builder audience(String... audience) {
      this.audience = List.of(audience);
      return this;
    }

    /** Adds a claim to every issued token, or replaces {@code iss} to imitate another issuer. */
    public Builder claim(String name, Object value) {
      claims.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Adds a Microsoft Entra ID tenant: tokens from {@code /{tenantId}/oauth2/v2.0/token} carry
     * {@code iss} {@link #entraIssuer(String)}, {@code aud} {@code https://storage.azure.com}, {@code
     * tid} and, as {@code appid}, the client id of the request. Their lifetime is the one set by
     * {@link #tokenLifetime(Duration)}.
     *
     * @throws IllegalArgumentException if the id is not a GUID or a domain name
     */
    public Builder entraTenant(String tenantId) {
      Objects.requireNonNull(tenantId, "tenantId");
      if (!tenantId.matches("[A-Za-z0-9][A-Za-z0-9.-]*")) {
        throw new IllegalArgumentException(
            "Invalid tenant id '" + tenantId + "': use a GUID or a domain name");
      }
      entraTenants.add(tenantId);
      return this;
    }

    /**
     * Starts the issuer on 127.0.0.1 with an ephemeral port.
     *
     * @throws IllegalStateException if the server cannot start
     */
    public OidcIssuer start() {
      MockOAuth2Server server = new MockOAuth2Server(OAuth2Config.Companion.fromJson(configJson()));
      try {
        server.start(InetAddress.getByName("127.0.0.1"), 0);
      } catch (UnknownHostException e) {
        throw new IllegalStateException("Cannot resolve 127.0.0.1", e);
      }
      return new OidcIssuer(server, issuerId, tokenLifetime);
    }

    private String configJson() {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode root = mapper.createObjectNode();
      root.put("interactiveLogin", false);
      root.put("httpServer", "MockWebServerWrapper");
      ArrayNode callbacks = root.putArray("tokenCallbacks");
      ObjectNode tokenClaims = addCallback(callbacks, issuerId);
      tokenClaims.put("sub", subject);
      ArrayNode aud = tokenClaims.putArray("aud");
      audience.forEach(aud::add);
      claims.forEach((name, value) -> tokenClaims.set(name, mapper.valueToTree(value)));
      for (String tenant : entraTenants) {
        // mock-oauth2-server takes the path before /token as the issuer id, and fills ${clientId}
        // with the client id of the request.
        ObjectNode entraClaims = addCallback(callbacks, tenant + "/oauth2/v2.0");
        entraClaims.put("sub", "${clientId}");
        entraClaims.put("appid", "${clientId}");
        entraClaims.put("iss", entraIssuer(tenant));
        entraClaims.put("aud", "https://storage.azure.com");
        entraClaims.put("tid", tenant);
      }
      return root.toString();
    }

    /** Adds a token callback for every grant of {@code id} and returns its claims object. */
    private ObjectNode addCallback(ArrayNode callbacks, String id) {
      ObjectNode callback = callbacks.addObject();
      callback.put("issuerId", id);
      callback.put("tokenExpiry", tokenLifetime.toSeconds());
      ObjectNode mapping = callback.putArray("requestMappings").addObject();
      mapping.put("requestParam", "grant_type");
      mapping.put("match", "*");
      return mapping.putObject("claims");
    }
  }
}
