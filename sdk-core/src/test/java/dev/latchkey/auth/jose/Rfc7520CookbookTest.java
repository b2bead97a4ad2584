package dev.latchkey.auth.jose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The RFC 7520 ("JOSE Cookbook") JWK and JWS examples. */
class Rfc7520CookbookTest {

  @ParameterizedTest
  @ValueSource(strings = {"3_1.ec_public_key", "3_2.ec_private_key", "3_3.rsa_public_key",
      "3_4.rsa_private_key", "3_5.symmetric_key_mac_computation", "3_6.symmetric_key_encryption"})
  void jwkExampleParses(String name) {
    JsonNode members = JoseVectors.read("rfc7520-jose-cookbook/jwk/" + name + ".json");

    Jwk jwk = JoseVectors.jwk(members);

    assertThat(jwk.keyType()).isEqualTo(members.get("kty").asText());
    assertThat(jwk.keyId()).contains(members.get("kid").asText());
    assertThat(jwk.hasPrivateKey()).isEqualTo(members.has("d") || members.has("k"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"4_1.rsa_v15_signature", "4_2.rsa-pss_signature", "4_3.ecdsa_signature",
      "4_4.hmac-sha2_integrity_protection", "4_5.signature_with_detached_content",
      "4_6.protecting_specific_header_fields", "4_7.protecting_content_only", "4_8.multiple_signatures"})
  void jwsExampleSignaturesVerify(String name) {
    JsonNode example = JoseVectors.read("rfc7520-jose-cookbook/jws/" + name + ".json");
    List<JsonNode> keys = asList(example.get("input").get("key"));
    List<JsonNode> algorithms = asList(example.get("input").get("alg"));
    List<JsonNode> signings = asList(example.get("signing"));

    for (int i = 0; i < signings.size(); i++) {
      JwsAlgorithm algorithm = JwsAlgorithm.fromName(algorithms.get(i).asText());
      byte[] signingInput = signings.get(i).get("sig-input").asText().getBytes(StandardCharsets.US_ASCII);
      byte[] signature = Base64Url.decode(signings.get(i).get("sig").asText(), "sig");

      boolean valid = algorithm.verify(JoseVectors.jwk(keys.get(i)).verificationKey(), signingInput, signature);

      assertThat(valid).as("signature %d of %s", i, name).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"4_1.rsa_v15_signature", "4_2.rsa-pss_signature", "4_3.ecdsa_signature",
      "4_4.hmac-sha2_integrity_protection"})
  void compactExampleVerifiesWithJwkSet(String name) {
    JsonNode example = JoseVectors.read("rfc7520-jose-cookbook/jws/" + name + ".json");
    Jwk key = JoseVectors.jwk(example.get("input").get("key"));

    Jws jws = Jws.parse(example.get("output").get("compact").asText());

    assertThat(jws.verify(JwkSet.of(List.of(key)))).isSameAs(key);
    assertThat(new String(jws.payload(), StandardCharsets.UTF_8))
        .isEqualTo(example.get("input").get("payload").asText());
  }

  @ParameterizedTest
  @ValueSource(strings = {"4_1.rsa_v15_signature", "4_4.hmac-sha2_integrity_protection"})
  void reproducibleExampleIsSignedByteForByte(String name) {
    JsonNode example = JoseVectors.read("rfc7520-jose-cookbook/jws/" + name + ".json");
    Jwk key = JoseVectors.jwk(example.get("input").get("key"));
    JwsAlgorithm algorithm = JwsAlgorithm.fromName(example.get("input").get("alg").asText());
    byte[] header = Base64Url.decode(example.get("signing").get("protected_b64u").asText(), "header");
    byte[] payload = example.get("input").get("payload").asText().getBytes(StandardCharsets.UTF_8);

    String compact = JwsSigner.of(algorithm, key.signingKey()).signWithHeaderBytes(header, payload);

    assertThat(compact).isEqualTo(example.get("output").get("compact").asText());
  }

  @ParameterizedTest
  @ValueSource(strings = {"4_5.signature_with_detached_content"})
  void detachedExampleVerifies(String name) {
    JsonNode example = JoseVectors.read("rfc7520-jose-cookbook/jws/" + name + ".json");
    Jwk key = JoseVectors.jwk(example.get("input").get("key"));
    byte[] payload = example.get("input").get("payload").asText().getBytes(StandardCharsets.UTF_8);

    Jws jws = Jws.parseDetached(example.get("output").get("compact").asText(), payload);

    assertThat(jws.verify(key.verificationKey())).isTrue();
  }

  private static List<JsonNode> asList(JsonNode node) {
    List<JsonNode> items = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(items::add);
    } else {
      items.add(node);
    }
    return items;
  }
}
