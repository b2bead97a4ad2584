package dev.latchkey.auth.jose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RFC 7515 Appendix A examples, signed and verified with this package. */
class Rfc7515VectorsTest {

  @Test
  void rs256SignatureMatchesAppendixA2ByteForByte() {
    JsonNode vector = JoseVectors.appendixCase("RFC7515-A.2");
    JwsSigner signer = JwsSigner.of(JwsAlgorithm.RS256, JoseVectors.jwk(vector.get("jwk")).privateKey());

    String compact = signer.signWithHeaderBytes(utf8(vector, "protected_header_utf8"), utf8(vector, "payload_utf8"));

    assertThat(compact).isEqualTo(vector.get("compact").asText());
  }

  @Test
  void hs256SignatureMatchesAppendixA1ByteForByte() {
    JsonNode vector = JoseVectors.appendixCase("RFC7515-A.1");
    JwsSigner signer = JwsSigner.of(JwsAlgorithm.HS256, JoseVectors.jwk(vector.get("jwk")).signingKey());

    String compact = signer.signWithHeaderBytes(utf8(vector, "protected_header_utf8"), utf8(vector, "payload_utf8"));

    assertThat(compact).isEqualTo(vector.get("compact").asText());
  }

  @Test
  void rs256AppendixA2Verifies() {
    assertAppendixCaseVerifies("RFC7515-A.2", JwsAlgorithm.RS256);
  }

  @Test
  void es256AppendixA3Verifies() {
    assertAppendixCaseVerifies("RFC7515-A.3", JwsAlgorithm.ES256);
  }

  @Test
  void es512AppendixA4Verifies() {
    assertAppendixCaseVerifies("RFC7515-A.4", JwsAlgorithm.ES512);
  }

  @Test
  void es256SignatureOfOwnSignerVerifies() {
    Jwk key = JoseVectors.jwk(JoseVectors.appendixCase("RFC7515-A.3").get("jwk"));
    String compact = JwsSigner.of(JwsAlgorithm.ES256, key.privateKey())
        .signJson(Map.of("kid", "a3"), Map.of("sub", "billing-exporter"));

    Jws jws = Jws.parse(compact);

    assertThat(jws.verify(key.verificationKey())).isTrue();
    assertThat(jws.claims()).containsEntry("sub", "billing-exporter");
    assertThat(jws.keyId()).contains("a3");
  }

  @Test
  void es256TamperedPayloadDoesNotVerify() {
    JsonNode vector = JoseVectors.appendixCase("RFC7515-A.3");
    String[] parts = vector.get("compact").asText().split("\\.");
    String tampered = parts[0] + "." + Base64Url.encode("{\"iss\":\"eve\"}".getBytes(StandardCharsets.UTF_8))
        + "." + parts[2];

    Jws jws = Jws.parse(tampered);

    assertThat(jws.verify(JoseVectors.jwk(vector.get("jwk")).verificationKey())).isFalse();
  }

  @Test
  void unsecuredAppendixA5IsRejected() {
    String compact = JoseVectors.appendixCase("RFC7515-A.5").get("compact").asText();

    assertThatThrownBy(() -> Jws.parse(compact))
        .isInstanceOf(JoseException.class)
        .hasMessageContaining("Unsupported JWS algorithm 'none'");
  }

  private static void assertAppendixCaseVerifies(String id, JwsAlgorithm expectedAlgorithm) {
    JsonNode vector = JoseVectors.appendixCase(id);
    Jws jws = Jws.parse(vector.get("compact").asText());

    assertThat(jws.algorithm()).isEqualTo(expectedAlgorithm);
    assertThat(jws.verify(JoseVectors.jwk(vector.get("jwk")).verificationKey())).isTrue();
    assertThat(jws.payload()).isEqualTo(Base64Url.decode(vector.get("payload_b64u").asText(), "payload"));
  }

  private static byte[] utf8(JsonNode vector, String field) {
    return vector.get(field).asText().getBytes(StandardCharsets.UTF_8);
  }
}
