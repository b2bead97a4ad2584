package dev.latchkey.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * An embedded mock-oauth2-server on 127.0.0.1 with one issuer whose tokens live {@code
 * tokenExpirySeconds}, and helpers to read what clients sent.
 */
final class OAuthTestServer implements AutoCloseable {

  static final String ISSUER = "latchkey";

  private final MockOAuth2Server server;

  private OAuthTestServer(MockOAuth2Server server) {
    this.server = server;
  }

  static OAuthTestServer start(int tokenExpirySeconds) {
    String config = """
        {
          "interactiveLogin": false,
          "httpServer": "MockWebServerWrapper",
          "tokenCallbacks": [
            {
              "issuerId": "%s",
              "tokenExpiry": %d,
              "requestMappings": [
                { "requestParam": "grant_type", "match": "*",
                  "claims": { "sub": "${clientId}", "aud": ["storage"] } }
              ]
            }
          ]
        }
        """.formatted(ISSUER, tokenExpirySeconds);
    MockOAuth2Server server = new MockOAuth2Server(OAuth2Config.Companion.fromJson(config));
    try {
      server.start(InetAddress.getByName("127.0.0.1"), 0);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
    return new OAuthTestServer(server);
  }

  URI tokenEndpoint() {
    return server.tokenEndpointUrl(ISSUER).uri();
  }

  URI issuer() {
    return server.issuerUrl(ISSUER).uri();
  }

  String jwks() {
    try (Response response = new OkHttpClient().newCall(
        new Request.Builder().url(server.jwksUrl(ISSUER)).build()).execute()) {
      return response.body().string();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the next request the server received, waiting at most 5 seconds, or throws. */
  RecordedRequest takeRequest() {
    return server.takeRequest(5, TimeUnit.SECONDS);
  }

  /** Discards the requests recorded so far. */
  void drainRequests() {
    try {
      while (true) {
        server.takeRequest(1, TimeUnit.MILLISECONDS);
      }
    } catch (RuntimeException e) {
      // mock-oauth2-server throws once no request is left in its queue.
    }
  }

  @Override
  public void close() {
    server.shutdown();
  }
}
