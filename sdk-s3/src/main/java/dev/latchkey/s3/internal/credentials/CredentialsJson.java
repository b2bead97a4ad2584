package dev.latchkey.s3.internal.credentials;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.SecretValue;

/**
 * Parses the JSON credential documents of the EC2 instance metadata service and the ECS/EKS
 * container credential endpoint. Both carry {@code AccessKeyId}, {@code SecretAccessKey}, {@code
 * Token} and {@code Expiration}; unknown members are ignored. Thread-safe.
 */
public final class CredentialsJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private CredentialsJson() {}

  /**
   * Parses a credential document.
   *
   * @param source the name of the endpoint, for error messages
   * @throws CredentialException if the body is not JSON, a member is missing, the IMDS {@code Code}
   *     is not {@code Success}, or the expiry is invalid; not retryable
   */
  public static AwsCredentials parse(String json, String source) {
    JsonNode root = readTree(json, source);
    String code = text(root, "Code");
    if (code != null && !code.equals("Success")) {
      throw new CredentialException(
          source + " returned Code '" + code + "' instead of Success: " + text(root, "Message"),
          false);
    }

    return AwsCredentials.builder()
        .accessKeyId(required(root, "AccessKeyId", source))
        .secretAccessKey(SecretValue.of(required(root, "SecretAccessKey", source)))
        .sessionToken(SecretValue.of(required(root, "Token", source)))
        .expiresAt(Expirations.parse(required(root, "Expiration", source), source))
        .build();
  }

  private static JsonNode readTree(String json, String source) {
    try {
      JsonNode root = MAPPER.readTree(json);
      if (root == null || !root.isObject()) {
        throw new CredentialException(source + " returned JSON that is not an object", false);
      }
      return root;
    } catch (JsonProcessingException e) {
      // The parser's message quotes the body, which contains secrets, so only its location is kept.
      String where = e.getLocation() == null
          ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new CredentialException(source + " returned a body that is not valid JSON" + where, false);
    }
  }

  private static String required(JsonNode root, String member, String source) {
    String value = text(root, member);
    if (value == null || value.isEmpty()) {
      throw new CredentialException(source + " returned no member " + member, false);
    }
    return value;
  }

  private static String text(JsonNode root, String member) {
    JsonNode node = root.get(member);
    return node == null || node.isNull() ? null : node.asText();
  }
}
