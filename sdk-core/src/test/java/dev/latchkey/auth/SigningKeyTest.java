package dev.latchkey.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.auth.jose.Jwk;
import dev.latchkey.auth.jose.Jws;
import dev.latchkey.auth.jose.JwsAlgorithm;
import dev.latchkey.auth.jose.JoseException;
import dev.latchkey.credentials.ClientCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Map;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeyTest {

  private static final HeldCertificate RSA_CERTIFICATE = new HeldCertificate.Builder()
      .commonName("billing-exporter").rsa2048().build();
  private static final HeldCertificate EC_CERTIFICATE = new HeldCertificate.Builder()
      .commonName("billing-exporter").ecdsa256().build();

  @Test
  void pkcs8PemFileSignsVerifiableJwt(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("key.pem");
    Files.writeString(file, RSA_CERTIFICATE.privateKeyPkcs8Pem());

    SigningKey key = SigningKey.builder().algorithm(JwsAlgorithm.PS256).privateKeyPemFile(file).keyId("k1").build();

    Jws jws = Jws.parse(key.sign(Map.of("sub", "billing-exporter")));
    assertThat(jws.verify(RSA_CERTIFICATE.keyPair().getPublic())).isTrue();
    assertThat(jws.header()).containsEntry("kid", "k1").containsEntry("typ", "JWT").containsEntry("alg", "PS256");
  }

  @Test
  void pkcs1PemIsRejectedWithConversionHint() {
    String pkcs1 = "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n-----END RSA PRIVATE KEY-----\n";

    assertThatThrownBy(() -> SigningKey.builder().privateKeyPem(pkcs1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'RSA PRIVATE KEY'")
        .hasMessageContaining("openssl pkcs8 -topk8");
  }

  @Test
  void jwkKeyIdBecomesHeader() {
    Jwk jwk = Jwk.parse("{\"kty\":\"EC\",\"kid\":\"from-jwk\",\"crv\":\"P-256\","
        + "\"x\":\"" + coordinate(EC_CERTIFICATE, true) + "\",\"y\":\"" + coordinate(EC_CERTIFICATE, false) + "\","
        + "\"d\":\"" + privateScalar(EC_CERTIFICATE) + "\"}");

    SigningKey key = SigningKey.builder().algorithm(JwsAlgorithm.ES256).jwk(jwk).build();

    Jws jws = Jws.parse(key.sign(Map.of("sub", "s")));
    assertThat(jws.keyId()).contains("from-jwk");
    assertThat(jws.verify(EC_CERTIFICATE.keyPair().getPublic())).isTrue();
  }

  @Test
  void keyStoreEntrySetsCertificateThumbprint() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("client", RSA_CERTIFICATE.keyPair().getPrivate(), "pw".toCharArray(),
        new Certificate[] {RSA_CERTIFICATE.certificate()});

    SigningKey key = SigningKey.builder().algorithm(JwsAlgorithm.RS256)
        .keyStore(store, "client", "pw".toCharArray()).build();

    String thumbprint = ClientCertificate.of(RSA_CERTIFICATE.keyPair().getPrivate(),
        List.of(RSA_CERTIFICATE.certificate())).sha256Thumbprint();
    assertThat(Jws.parse(key.sign(Map.of())).header()).containsEntry("x5t#S256", thumbprint).doesNotContainKey("kid");
  }

  @Test
  void wrongKeyStorePasswordIsNamed() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("client", RSA_CERTIFICATE.keyPair().getPrivate(), "pw".toCharArray(),
        new Certificate[] {RSA_CERTIFICATE.certificate()});

    assertThatThrownBy(() -> SigningKey.builder().keyStore(store, "client", "wrong".toCharArray()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("alias 'client'")
        .hasMessageContaining("password");
  }

  @Test
  void keyMustSuitAlgorithm() {
    SigningKey.Builder builder = SigningKey.builder().algorithm(JwsAlgorithm.ES256)
        .privateKey(RSA_CERTIFICATE.keyPair().getPrivate()).keyId("k");

    assertThatThrownBy(builder::build).isInstanceOf(JoseException.class).hasMessageContaining("EC private key");
  }

  @Test
  void keyNeedsIdOrCertificate() {
    SigningKey.Builder builder = SigningKey.builder().algorithm(JwsAlgorithm.RS256)
        .privateKey(RSA_CERTIFICATE.keyPair().getPrivate());

    assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("keyId(...)");
  }

  @Test
  void hmacAlgorithmIsRejected() {
    assertThatThrownBy(() -> SigningKey.builder().algorithm(JwsAlgorithm.HS256))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("asymmetric");
  }

  @Test
  void toStringShowsNoKeyMaterial() {
    SigningKey key = SigningKey.builder().algorithm(JwsAlgorithm.ES256)
        .privateKey(EC_CERTIFICATE.keyPair().getPrivate()).keyId("k1").build();

    assertThat(key.toString()).isEqualTo("SigningKey[ES256, {kid=k1}]");
  }

  private static String coordinate(HeldCertificate certificate, boolean x) {
    var point = ((java.security.interfaces.ECPublicKey) certificate.keyPair().getPublic()).getW();
    return base64Url(x ? point.getAffineX() : point.getAffineY());
  }

  private static String privateScalar(HeldCertificate certificate) {
    return base64Url(((java.security.interfaces.ECPrivateKey) certificate.keyPair().getPrivate()).getS());
  }

  private static String base64Url(java.math.BigInteger value) {
    byte[] bytes = value.toByteArray();
    byte[] fixed = new byte[32];
    int length = Math.min(bytes.length, 32);
    System.arraycopy(bytes, bytes.length - length, fixed, 32 - length, length);
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
  }
}
