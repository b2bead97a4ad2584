package dev.latchkey.auth.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.latchkey.auth.TokenEndpointException;
import java.io.IOException;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** Fetches OpenID Provider metadata documents. Thread-safe. */
public final class MetadataClient {

  private static final int MAX_DOCUMENT_BYTES = 512 * 1024;
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private final OkHttpClient httpClient;

  public MetadataClient(OkHttpClient httpClient) {
    this.httpClient = httpClient.newBuilder()
        .followRedirects(false)
        .followSslRedirects(false)
        .callTimeout(30, TimeUnit.SECONDS)
        .build();
  }

  /**
   * Fetches and parses {@code ISSUER/.well-known/openid-configuration}.
   *
   * @throws TokenEndpointException if the request fails, the status is not 200, the document is not
   *     a JSON object, or its {@code issuer} differs from {@code issuer}
   */
  public Map<String, Object> fetch(URI issuer) {
    String location = wellKnown(issuer);
    try (Response response = httpClient.newCall(new Request.Builder().url(location).get().build()).execute()) {
      byte[] body = HttpBodies.read(response.body(), MAX_DOCUMENT_BYTES);
      if (response.code() != 200) {
        boolean retryable = response.code() >= 500 || response.code() == 429;
        throw new TokenEndpointException("OpenID Provider metadata request to " + location + " failed with HTTP "
            + response.code(), null, retryable, response.code(), null);
      }
      return checkIssuer(parse(body, location), issuer, location);
    } catch (IOException e) {
      throw new TokenEndpointException("OpenID Provider metadata request to " + location + " failed ("
          + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e, true, 0, null);
    }
  }

  /** Returns the metadata URL: the issuer without a trailing slash, then the well-known path. */
  static String wellKnown(URI issuer) {
    String base = Endpoints.describe(issuer);
    return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/.well-known/openid-configuration";
  }

  private static Map<String, Object> parse(byte[] body, String location) {
    try {
      Map<String, Object> document = MAPPER.readValue(body, new TypeReference<LinkedHashMap<String, Object>>() {});
      if (document == null) {
        throw new IOException("null document");
      }
      return Collections.unmodifiableMap(document);
    } catch (IOException e) {
      throw new TokenEndpointException("Invalid OpenID Provider metadata at " + location
          + ": it is not a JSON object", null, false, 200, null);
    }
  }

  private static Map<String, Object> checkIssuer(Map<String, Object> document, URI issuer, String location) {
    Object declared = document.get("issuer");
    if (!issuer.toString().equals(declared)) {
      throw new TokenEndpointException("Invalid OpenID Provider metadata at " + location + ": its issuer '"
          + declared + "' differs from the configured issuer '" + issuer + "'", null, false, 200, null);
    }
    return document;
  }
}
