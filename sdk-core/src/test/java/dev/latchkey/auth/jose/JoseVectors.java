package dev.latchkey.auth.jose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** Reads the published JOSE test vectors copied into the test resources. */
final class JoseVectors {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JoseVectors() {}

  static JsonNode read(String resource) {
    try (InputStream in = JoseVectors.class.getResourceAsStream("/jose/" + resource)) {
      if (in == null) {
        throw new IllegalStateException("Missing test resource /jose/" + resource);
      }
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode appendixCase(String id) {
    for (JsonNode vector : read("rfc7515-appendix-a.json").get("cases")) {
      if (vector.get("id").asText().equals(id)) {
        return vector;
      }
    }
    throw new IllegalStateException("No RFC 7515 case " + id);
  }

  @SuppressWarnings("unchecked")
  static Jwk jwk(JsonNode node) {
    return Jwk.fromMembers(MAPPER.convertValue(node, Map.class));
  }
}
