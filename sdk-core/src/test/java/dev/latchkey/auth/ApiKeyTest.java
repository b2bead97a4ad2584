package dev.latchkey.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.ApiKey;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialNotConfiguredException;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.signing.SignableRequest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** API key providers and the API key and bearer token signers. */
class ApiKeyTest {

  private static final Instant SIGNING_TIME = Instant.parse("2026-01-01T00:00:00Z");
  private static final SignableRequest REQUEST = SignableRequest
      .builder("GET", URI.create("https://api.example.com/reports/q1.csv?api_key=old&part=1"))
      .addHeader("X-API-Key", "stale")
      .build();

  @Test
  void staticValueIsReturned() {
    ApiKey key = ApiKeyProvider.builder().value(SecretValue.of("k-1")).label("gateway").build().fetch();

    assertThat(key.key().reveal()).isEqualTo("k-1");
    assertThat(key.id()).isEqualTo("gateway");
  }

  @Test
  void environmentVariableIsReadAndTrimmed() {
    ApiKeyProvider provider = ApiKeyProvider.builder()
        .environmentVariable("REPORTS_API_KEY")
        .environment(Map.of("REPORTS_API_KEY", " k-env\n"))
        .build();

    assertThat(provider.fetch().key().reveal()).isEqualTo("k-env");
  }

  @Test
  void unsetEnvironmentVariableIsNotConfigured() {
    ApiKeyProvider provider = ApiKeyProvider.builder().environmentVariable("ABSENT_KEY").environment(Map.of()).build();

    assertThatThrownBy(provider::fetch)
        .isInstanceOf(CredentialNotConfiguredException.class)
        .hasMessageContaining("ABSENT_KEY");
  }

  @Test
  void rotatedFileIsReadAgain(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("api-key");
    ApiKeyProvider provider = ApiKeyProvider.builder().file(file).build();

    write(file, "k-first\n", 1_000);
    ApiKey first = provider.fetch();
    ApiKey unchanged = provider.fetch();
    write(file, "k-second", 2_000);
    ApiKey second = provider.fetch();

    assertThat(first.key().reveal()).isEqualTo("k-first");
    assertThat(unchanged).isSameAs(first);
    assertThat(second.key().reveal()).isEqualTo("k-second");
  }

  @Test
  void emptyRewrittenFileKeepsEarlierKey(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("api-key");
    ApiKeyProvider provider = ApiKeyProvider.builder().file(file).build();
    write(file, "k-first", 1_000);
    provider.fetch();

    write(file, "", 2_000);

    assertThat(provider.fetch().key().reveal()).isEqualTo("k-first");
  }

  @Test
  void emptyFileWithoutEarlierKeyFails(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("api-key");
    write(file, "  \n", 1_000);

    assertThatThrownBy(() -> ApiKeyProvider.builder().file(file).build().fetch())
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("is empty")
        .satisfies(thrown -> assertThat(((CredentialException) thrown).isRetryable()).isTrue());
  }

  @Test
  void missingFileIsNotConfigured(@TempDir Path directory) {
    assertThatThrownBy(() -> ApiKeyProvider.builder().file(directory.resolve("absent")).build().fetch())
        .isInstanceOf(CredentialNotConfiguredException.class);
  }

  @Test
  void providerNeedsExactlyOneSource() {
    assertThatThrownBy(() -> ApiKeyProvider.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("0 are set");
    assertThatThrownBy(() -> ApiKeyProvider.builder().value(SecretValue.of("k")).environmentVariable("K").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("2 are set");
  }

  @Test
  void headerSignerReplacesHeader() {
    ApiKeySigner signer = ApiKeySigner.builder().header("X-API-Key").build();

    SignableRequest signed = signer.sign(REQUEST, ApiKey.of(SecretValue.of("k-1")), SIGNING_TIME);

    assertThat(signed.headerValues("x-api-key")).containsExactly("k-1");
    assertThat(signed.uri()).isEqualTo(REQUEST.uri());
  }

  @Test
  void headerSignerAddsPrefix() {
    ApiKeySigner signer = ApiKeySigner.builder().header("Authorization", "ApiKey ").build();

    SignableRequest signed = signer.sign(REQUEST, ApiKey.of(SecretValue.of("k-1")), SIGNING_TIME);

    assertThat(signed.firstHeader("Authorization")).contains("ApiKey k-1");
  }

  @Test
  void querySignerReplacesParameterAndEncodes() {
    ApiKeySigner signer = ApiKeySigner.builder().queryParameter("api_key").build();

    SignableRequest signed = signer.sign(REQUEST, ApiKey.of(SecretValue.of("a+b/c=d é")), SIGNING_TIME);

    assertThat(signed.uri().getRawQuery()).isEqualTo("part=1&api_key=a%2Bb%2Fc%3Dd%20%C3%A9");
    assertThat(signed.uri().getRawPath()).isEqualTo("/reports/q1.csv");
  }

  @Test
  void signerNeedsHeaderOrQuery() {
    assertThatThrownBy(() -> ApiKeySigner.builder().build()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ApiKeySigner.builder().header("Bad Header")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void bearerSignerSetsAuthorization() {
    AccessToken token = AccessToken.builder().token(SecretValue.of("t-1")).tokenType("bearer").build();

    SignableRequest signed = BearerTokenSigner.create().sign(REQUEST, token, SIGNING_TIME);

    assertThat(signed.headerValues("Authorization")).containsExactly("Bearer t-1");
  }

  @Test
  void bearerSignerRejectsOtherTokenTypes() {
    AccessToken token = AccessToken.builder().token(SecretValue.of("t-secret")).tokenType("DPoP").build();

    assertThatThrownBy(() -> BearerTokenSigner.create().sign(REQUEST, token, SIGNING_TIME))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'DPoP'")
        .hasMessageNotContaining("t-secret");
  }

  private static void write(Path file, String text, long modifiedMillis) throws Exception {
    Files.writeString(file, text);
    Files.setLastModifiedTime(file, FileTime.fromMillis(modifiedMillis));
  }
}
