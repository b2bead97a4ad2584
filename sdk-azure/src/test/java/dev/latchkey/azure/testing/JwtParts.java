package dev.latchkey.azure.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The decoded parts of a compact JWS, for assertions in tests; nothing is verified here.
 *
 * @param header the JOSE header
 * @param claims the claims set
 * @param signingInput the ASCII bytes of {@code header.payload}, what the signature covers
 * @param signature the decoded signature
 */
public record JwtParts(Map<String, Object> header, Map<String, Object> claims, byte[] signingInput, byte[] signature) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public static JwtParts decode(String jwt) {
    String[] parts = jwt.split("\\.");
    if (parts.length != 3) {
      throw new AssertionError("Not a compact JWS: " + parts.length + " parts");
    }
    byte[] input = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
    return new JwtParts(json(parts[0]), json(parts[1]), input, Base64.getUrlDecoder().decode(parts[2]));
  }

  private static Map<String, Object> json(String part) {
    try {
      return JSON.readValue(Base64.getUrlDecoder().decode(part), new TypeReference<Map<String, Object>>() { });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
