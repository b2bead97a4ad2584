package dev.latchkey.auth.jose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JwkTest {

  @Test
  void thumbprintIgnoresPrivateMembers() {
    Jwk privateJwk = JoseVectors.jwk(JoseVectors.read("rfc7520-jose-cookbook/jwk/3_2.ec_private_key.json"));
    Jwk publicJwk = JoseVectors.jwk(JoseVectors.read("rfc7520-jose-cookbook/jwk/3_1.ec_public_key.json"));

    assertThat(privateJwk.thumbprint()).isEqualTo(publicJwk.thumbprint());
    assertThat(privateJwk.thumbprint()).hasSize(43);
  }

  @Test
  void publicJsonLeavesOutPrivateMembers() {
    Jwk jwk = JoseVectors.jwk(JoseVectors.read("rfc7520-jose-cookbook/jwk/3_4.rsa_private_key.json"));

    String json = jwk.toPublicJson();

    assertThat(json).contains("\"n\"", "\"e\"", "\"kid\"");
    assertThat(json).doesNotContain("\"d\"", "\"p\"", "\"qi\"");
    assertThat(Jwk.parse(json).hasPrivateKey()).isFalse();
  }

  @Test
  void fromPublicKeyRoundTripsThroughJwkSet() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    var pair = generator.generateKeyPair();
    String token = JwsSigner.of(JwsAlgorithm.ES256, pair.getPrivate()).signJson(Map.of("kid", "k1"), Map.of("a", 1));

    JwkSet published = JwkSet.parse(JwkSet.of(List.of(Jwk.fromPublicKey(pair.getPublic(), "k1"))).toPublicJson());

    assertThat(Jws.parse(token).verify(published).keyId()).contains("k1");
  }

  @Test
  void ecPointOffCurveIsRejected() {
    ObjectNode members = ((ObjectNode) JoseVectors.read("rfc7520-jose-cookbook/jwk/3_1.ec_public_key.json"));
    members.put("y", members.get("x").asText());

    assertThatThrownBy(() -> JoseVectors.jwk(members))
        .isInstanceOf(JoseException.class)
        .hasMessageContaining("not on curve P-521");
  }

  @Test
  void ecCoordinateOfWrongLengthIsRejected() {
    ObjectNode members = ((ObjectNode) JoseVectors.read("rfc7520-jose-cookbook/jwk/3_1.ec_public_key.json"));
    members.put("x", "AAAA");

    assertThatThrownBy(() -> JoseVectors.jwk(members))
        .isInstanceOf(JoseException.class)
        .hasMessageContaining("member 'x'")
        .hasMessageContaining("exactly 66");
  }

  @Test
  void missingMemberIsNamed() {
    assertThatThrownBy(() -> Jwk.parse("{\"kty\":\"RSA\",\"e\":\"AQAB\"}"))
        .isInstanceOf(JoseException.class)
        .hasMessageContaining("'n' is missing");
  }

  @Test
  void unknownKeyTypeIsRejected() {
    assertThatThrownBy(() -> Jwk.parse("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"AA\"}"))
        .isInstanceOf(JoseException.class)
        .hasMessageContaining("'OKP'");
  }

  @Test
  void unknownKeyTypeIsSkippedInSet() {
    assertThat(JwkSet.parse("{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"AA\"}]}").keys()).isEmpty();
  }

  @Test
  void toStringShowsNoKeyMaterial() {
    JsonNode members = JoseVectors.read("rfc7520-jose-cookbook/jwk/3_4.rsa_private_key.json");

    String text = JoseVectors.jwk(members).toString();

    assertThat(text).contains("RSA", "bilbo.baggins@hobbiton.example");
    assertThat(text).doesNotContain(members.get("d").asText().substring(0, 12));
    assertThat(text).doesNotContain(members.get("n").asText().substring(0, 12));
  }

  @Test
  void signingKeyOfPublicJwkIsAnError() {
    Jwk jwk = JoseVectors.jwk(JoseVectors.read("rfc7520-jose-cookbook/jwk/3_3.rsa_public_key.json"));

    assertThatThrownBy(jwk::signingKey)
        .isInstanceOf(JoseException.class)
        .hasMessageContaining("has no private key");
  }
}
