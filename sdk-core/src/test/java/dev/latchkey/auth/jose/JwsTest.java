package dev.latchkey.auth.jose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.List;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class JwsTest {

  private static final Jwk RSA_KEY =
      JoseVectors.jwk(JoseVectors.read("rfc7520-jose-cookbook/jwk/3_4.rsa_private_key.json"));
  private static final Jwk EC_KEY =
      JoseVectors.jwk(JoseVectors.read("rfc7520-jose-cookbook/jwk/3_2.ec_private_key.json"));

  @Test
  void ps256SignatureVerifiesAndTamperingFails() {
    String token = JwsSigner.of(JwsAlgorithm.PS256, RSA_KEY.privateKey()).signJson(Map.of(), Map.of("n", 1));
    String tampered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");

    assertThat(Jws.parse(token).verify(RSA_KEY.verificationKey())).isTrue();
    assertThat(Jws.parse(tampered).verify(RSA_KEY.verificationKey())).isFalse();
  }

  @Test
  void hmacHeaderWithRsaPublicKeyIsRejected() {
    byte[] publicKeyBytes = RSA_KEY.publicKey().orElseThrow().getEncoded();
    String forged = JwsSigner.of(JwsAlgorithm.HS256, new SecretKeySpec(publicKeyBytes, "HMAC"))
        .signJson(Map.of(), Map.of("sub", "admin"));

    assertThatThrownBy(() -> Jws.parse(forged).verify(RSA_KEY.verificationKey()))
        .isInstanceOf(JoseException.class)
        .hasMessageContaining("needs a secret key");
  }

  @Test
  void signerRejectsKeyOnWrongCurve() {
    assertThatThrownBy(() -> JwsSigner.of(JwsAlgorithm.ES256, EC_KEY.privateKey()))
        .isInstanceOf(JoseException.class)
        .hasMessageContaining("curve P-521")
        .hasMessageContaining("needs P-256");
  }

  @Test
  void signerRejectsShortRsaKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(1024);

    assertThatThrownBy(() -> JwsSigner.of(JwsAlgorithm.RS256, generator.generateKeyPair().getPrivate()))
        .isInstanceOf(JoseException.class)
        .hasMessageContaining("1024 bits");
  }

  @Test
  void signerRejectsConflictingAlgHeader() {
    JwsSigner signer = JwsSigner.of(JwsAlgorithm.ES512, EC_KEY.privateKey());

    assertThatThrownBy(() -> signer.signJson(Map.of("alg", "RS256"), Map.of()))
        .isInstanceOf(JoseException.class)
        .hasMessageContaining("'RS256'");
  }

  @Test
  void verifyWithSetReportsUnknownKeyId() {
    String token = JwsSigner.of(JwsAlgorithm.ES512, EC_KEY.privateKey()).signJson(Map.of("kid", "old"), Map.of());

    assertThatThrownBy(() -> Jws.parse(token).verify(JwkSet.of(List.of(EC_KEY))))
        .isInstanceOf(JoseException.class)
        .hasMessageContaining("No key with kid 'old'");
  }

  @Test
  void verifyWithSetRejectsInvalidSignature() {
    String token = JwsSigner.of(JwsAlgorithm.ES512, EC_KEY.privateKey())
        .signJson(Map.of("kid", "bilbo.baggins@hobbiton.example"), Map.of());
    String[] parts = token.split("\\.");
    String swapped = parts[0] + "." + Base64Url.encode("{}x".getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

    assertThatThrownBy(() -> Jws.parse(swapped).verify(JwkSet.of(List.of(EC_KEY))))
        .isInstanceOf(JoseException.class)
        .hasMessageContaining("Invalid JWS signature");
  }

  @Test
  void malformedCompactFormsAreRejected() {
    assertThatThrownBy(() -> Jws.parse("a.b")).hasMessageContaining("has 2 dot-separated parts");
    assertThatThrownBy(() -> Jws.parse("e30.e30.")).hasMessageContaining("'alg' is missing");
    assertThatThrownBy(() -> Jws.parse("eyJhbGciOiJFUzI1NiJ9=.e30.AA")).hasMessageContaining("padded");
    assertThatThrownBy(() -> Jws.parse("bm90IGpzb24.e30.AA")).hasMessageContaining("not a JSON object");
  }

  @Test
  void critHeaderIsRejected() {
    String header = Base64Url.encode("{\"alg\":\"ES256\",\"crit\":[\"exp\"]}".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> Jws.parse(header + ".e30.AA"))
        .isInstanceOf(JoseException.class)
        .hasMessageContaining("'crit'");
  }
}
