package dev.latchkey.azure.internal.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.latchkey.credentials.ClientCertificate;
import dev.latchkey.credentials.SecretValue;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateFilesTest {

  private static final SecretValue PASSWORD = SecretValue.of("test-password");

  @TempDir
  Path folder;

  @Test
  void loadsOpensslPem() throws Exception {
    ClientCertificate certificate = CertificateFiles.load(resource("client.pem"), null);

    assertThat(certificate.leaf().getSubjectX500Principal().getName()).isEqualTo("CN=latchkey-test-client");
    assertThat(certificate.privateKey().getAlgorithm()).isEqualTo("RSA");
  }

  @Test
  void loadsOpensslEncryptedPem() throws Exception {
    ClientCertificate plain = CertificateFiles.load(resource("client.pem"), null);

    ClientCertificate decrypted = CertificateFiles.load(resource("client-encrypted.pem"), PASSWORD);

    assertThat(decrypted.sha256Thumbprint()).isEqualTo(plain.sha256Thumbprint());
    assertThat(decrypted.privateKey().getEncoded()).isEqualTo(plain.privateKey().getEncoded());
  }

  @Test
  void loadsOpensslPkcs12() throws Exception {
    ClientCertificate plain = CertificateFiles.load(resource("client.pem"), null);

    ClientCertificate fromPfx = CertificateFiles.load(resource("client.pfx"), PASSWORD);

    assertThat(fromPfx.sha256Thumbprint()).isEqualTo(plain.sha256Thumbprint());
    assertThat(fromPfx.privateKey().getEncoded()).isEqualTo(plain.privateKey().getEncoded());
  }

  @Test
  void rejectsWrongPkcs12Password() throws Exception {
    Path pfx = resource("client.pfx");

    assertThatIllegalArgumentException()
        .isThrownBy(() -> CertificateFiles.load(pfx, SecretValue.of("wrong-password")))
        .withMessageContaining(pfx.toString())
        .withMessageNotContaining("wrong-password");
  }

  @Test
  void rejectsEncryptedKeyWithoutPassword() throws Exception {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> CertificateFiles.load(resource("client-encrypted.pem"), null))
        .withMessageContaining("no password");
  }

  @Test
  void loadsEcKey() throws IOException {
    HeldCertificate held = new HeldCertificate.Builder().ecdsa256().commonName("ec-client").build();
    Path file = write("ec.pem", held.certificatePem() + held.privateKeyPkcs8Pem());

    ClientCertificate certificate = CertificateFiles.load(file, null);

    assertThat(certificate.privateKey().getAlgorithm()).isEqualTo("EC");
    assertThat(certificate.leaf()).isEqualTo(held.certificate());
  }

  @Test
  void putsMatchingCertificateFirst() throws IOException {
    HeldCertificate authority = new HeldCertificate.Builder().certificateAuthority(0).commonName("ca").build();
    HeldCertificate leaf = new HeldCertificate.Builder().signedBy(authority).commonName("leaf").build();
    Path file = write("chain.pem",
        authority.certificatePem() + leaf.privateKeyPkcs8Pem() + leaf.certificatePem());

    ClientCertificate certificate = CertificateFiles.load(file, null);

    assertThat(certificate.chain()).containsExactly(leaf.certificate(), authority.certificate());
  }

  @Test
  void rejectsKeyWithoutMatchingCertificate() throws IOException {
    HeldCertificate one = new HeldCertificate.Builder().commonName("one").build();
    HeldCertificate other = new HeldCertificate.Builder().commonName("other").build();
    Path file = write("mismatch.pem", one.certificatePem() + other.privateKeyPkcs8Pem());

    assertThatIllegalArgumentException()
        .isThrownBy(() -> CertificateFiles.load(file, null))
        .withMessageContaining("none of its certificates matches its private key");
  }

  @Test
  void rejectsPkcs1KeyWithConversionHint() throws IOException {
    HeldCertificate held = new HeldCertificate.Builder().rsa2048().build();
    Path file = write("pkcs1.pem", held.certificatePem() + held.privateKeyPkcs1Pem());

    assertThatIllegalArgumentException()
        .isThrownBy(() -> CertificateFiles.load(file, null))
        .withMessageContaining("RSA PRIVATE KEY is not PKCS#8")
        .withMessageContaining("openssl pkcs8 -topk8");
  }

  @Test
  void rejectsPemWithoutKey() throws IOException {
    HeldCertificate held = new HeldCertificate.Builder().build();
    Path file = write("cert-only.pem", held.certificatePem());

    assertThatIllegalArgumentException()
        .isThrownBy(() -> CertificateFiles.load(file, null))
        .withMessageContaining("private key is missing");
  }

  @Test
  void rejectsMissingFile() {
    Path missing = folder.resolve("missing.pem");

    assertThatIllegalArgumentException()
        .isThrownBy(() -> CertificateFiles.load(missing, null))
        .withMessageContaining("Cannot read the certificate file " + missing);
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(folder.resolve(name), content);
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(CertificateFilesTest.class.getResource("/certificates/" + name).toURI());
  }
}
