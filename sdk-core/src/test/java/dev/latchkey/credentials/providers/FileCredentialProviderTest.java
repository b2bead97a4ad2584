package dev.latchkey.credentials.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.ApiKey;
import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialNotConfiguredException;
import dev.latchkey.credentials.SasToken;
import dev.latchkey.credentials.SharedKey;
import dev.latchkey.testing.Canaries;
import dev.latchkey.testing.FakeClock;
import dev.latchkey.testing.LogCapture;
import dev.latchkey.testing.ManualScheduler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCredentialProviderTest {

  private static final String CANARY = Canaries.secret("file-credential");

  @TempDir
  Path directory;

  private final LogCapture logs = LogCapture.of("dev.latchkey");

  @AfterEach
  void stopCapture() {
    logs.close();
  }

  private Path write(String name, String content) throws IOException {
    Path file = directory.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void readsAwsCredentialsFromJson() throws IOException {
    Path file = write("aws.json", """
        {"accessKeyId": "ASIAFILEEXAMPLE", "secretAccessKey": "file-secret",
         "sessionToken": "file-session", "expiresAt": "2026-01-01T01:00:00Z"}
        """);

    AwsCredentials credentials = FileCredentialProvider.aws(file).build().fetch();

    assertThat(credentials.accessKeyId()).isEqualTo("ASIAFILEEXAMPLE");
    assertThat(credentials.secretAccessKey().reveal()).isEqualTo("file-secret");
    assertThat(credentials.sessionToken()).map(token -> token.reveal()).contains("file-session");
    assertThat(credentials.expiresAt()).contains(Instant.parse("2026-01-01T01:00:00Z"));
  }

  @Test
  void readsAccessTokenFromProperties() throws IOException {
    Path file = write("token.properties", """
        token=file-token
        tokenType=DPoP
        scopes=read write
        audience=https://storage.example
        expiresAt=2026-01-01T01:00:00Z
        refreshAt=2026-01-01T00:45:00Z
        """);

    AccessToken token = FileCredentialProvider.accessToken(file).build().fetch();

    assertThat(token.token().reveal()).isEqualTo("file-token");
    assertThat(token.tokenType()).isEqualTo("DPoP");
    assertThat(token.scopes()).isEqualTo(Set.of("read", "write"));
    assertThat(token.audience()).contains("https://storage.example");
    assertThat(token.refreshAt()).contains(Instant.parse("2026-01-01T00:45:00Z"));
  }

  @Test
  void readsOtherKindsFromJson() throws IOException {
    Path shared = write("shared.json", "{\"accountName\": \"devstoreaccount1\", \"accountKey\": \"a2V5\"}");
    Path sas = write("sas.json", "{\"token\": \"?sv=2025-05-05&sig=abc\", \"expiresAt\": \"2026-01-02T00:00:00Z\"}");
    Path apiKey = write("key.json", "{\"key\": \"file-api-key\", \"label\": \"gateway-key\"}");
    Path scopes = write("scopes.json", "{\"token\": \"t\", \"scopes\": [\"read\", \"list\"]}");

    SharedKey sharedKey = FileCredentialProvider.sharedKey(shared).build().fetch();
    SasToken sasToken = FileCredentialProvider.sasToken(sas).build().fetch();
    ApiKey key = FileCredentialProvider.apiKey(apiKey).build().fetch();
    AccessToken token = FileCredentialProvider.accessToken(scopes).build().fetch();

    assertThat(sharedKey.accountName()).isEqualTo("devstoreaccount1");
    assertThat(sasToken.token().reveal()).isEqualTo("sv=2025-05-05&sig=abc");
    assertThat(key.id()).isEqualTo("gateway-key");
    assertThat(token.scopes()).isEqualTo(Set.of("read", "list"));
  }

  @Test
  void picksUpRotatedSecret() throws IOException {
    Path file = write("key.json", "{\"key\": \"first-key\"}");
    FileCredentialProvider<ApiKey> provider = FileCredentialProvider.apiKey(file).build();
    ApiKey first = provider.fetch();
    ApiKey unchanged = provider.fetch();

    write("key.json", "{\"key\": \"second-key\"}");
    ApiKey rotated = provider.fetch();

    assertThat(unchanged).isSameAs(first);
    assertThat(rotated.key().reveal()).isEqualTo("second-key");
    assertThat(logs.messagesAt(Level.INFO)).containsExactly(
        "Loaded credential " + first.id() + " from file " + file,
        "Reloaded credential " + rotated.id() + " from file " + file);
  }

  @Test
  void missingFileIsNotConfigured() {
    Path file = directory.resolve("absent.json");

    assertThatThrownBy(() -> FileCredentialProvider.apiKey(file).build().fetch())
        .isInstanceOf(CredentialNotConfiguredException.class)
        .hasMessage("Credential file " + file + " does not exist");
  }

  @Test
  void halfWrittenFileKeepsLastGood() throws IOException {
    Path file = write("aws.json", "{\"accessKeyId\": \"AKIAGOOD\", \"secretAccessKey\": \"good-secret\"}");
    FileCredentialProvider<AwsCredentials> provider = FileCredentialProvider.aws(file).build();
    AwsCredentials good = provider.fetch();

    write("aws.json", "{\"accessKeyId\": \"AKIANEW\", \"secretAccessKey\": \"" + CANARY);
    AwsCredentials served = provider.fetch();
    provider.fetch();

    assertThat(served).isSameAs(good);
    assertThat(provider.lastError()).hasValueSatisfying(error -> {
      assertThat(error.getMessage()).startsWith("Invalid JSON in credential file " + file + " at line 1");
      Canaries.recordException(error);
      assertThat(error.getMessage()).doesNotContain(CANARY);
      assertThat(error.getCause()).isNull();
      assertThat(error.isRetryable()).isTrue();
    });
    assertThat(logs.messagesAt(Level.WARN)).hasSize(1);
    assertThat(logs.allText()).doesNotContain(CANARY).doesNotContain("good-secret");
  }

  @Test
  void repairedFileClearsLastError() throws IOException {
    Path file = write("key.properties", "key=first-key\n");
    FileCredentialProvider<ApiKey> provider = FileCredentialProvider.apiKey(file).build();
    provider.fetch();
    write("key.properties", "label=only-a-label\n");
    provider.fetch();

    write("key.properties", "key=second-key\n");
    ApiKey repaired = provider.fetch();

    assertThat(repaired.key().reveal()).isEqualTo("second-key");
    assertThat(provider.lastError()).isEmpty();
  }

  @Test
  void unreadableFileKeepsLastGood() throws IOException {
    Path file = write("key.json", "{\"key\": \"first-key\"}");
    FileCredentialProvider<ApiKey> provider = FileCredentialProvider.apiKey(file).build();
    ApiKey first = provider.fetch();

    Files.delete(file);
    Files.createDirectory(file);

    assertThat(provider.fetch()).isSameAs(first);
    assertThat(provider.lastError()).hasValueSatisfying(error ->
        assertThat(error.getMessage()).startsWith("Cannot read credential file " + file));
  }

  @Test
  void invalidFirstReadFails() throws IOException {
    Path missingField = write("missing.json", "{\"accessKeyId\": \"AKIAONLY\"}");
    Path badExpiry = write("expiry.json", "{\"key\": \"k\", \"expiresAt\": \"tomorrow\"}");
    Path notObject = write("array.json", "[\"" + CANARY + "\"]");
    Path wrongType = write("number.json", "{\"key\": 42}");
    Path empty = write("empty.json", "  \n");

    assertThatThrownBy(() -> FileCredentialProvider.aws(missingField).build().fetch())
        .isInstanceOf(CredentialException.class)
        .hasMessage("Missing field 'secretAccessKey' in credential file " + missingField
            + ": add it, or check the file's format");
    assertThatThrownBy(() -> FileCredentialProvider.apiKey(badExpiry).build().fetch())
        .hasMessage("Invalid field 'expiresAt' in credential file " + badExpiry
            + ": it is not an ISO-8601 instant such as 2026-01-01T00:00:00Z");
    assertThatThrownBy(() -> FileCredentialProvider.apiKey(notObject).build().fetch())
        .hasMessage("Invalid JSON in credential file " + notObject + ": the top level must be an object");
    assertThatThrownBy(() -> FileCredentialProvider.apiKey(wrongType).build().fetch())
        .hasMessage("Invalid field 'key' in credential file " + wrongType
            + ": it must be a string or an array of strings");
    assertThatThrownBy(() -> FileCredentialProvider.apiKey(empty).build().fetch())
        .hasMessage("Credential file " + empty + " is empty");
  }

  @Test
  void invalidUtf8Fails() throws IOException {
    Path file = directory.resolve("key.json");
    Files.write(file, new byte[] {'{', '"', 'k', '"', ':', '"', (byte) 0xE2, (byte) 0x82});

    assertThatThrownBy(() -> FileCredentialProvider.apiKey(file).build().fetch())
        .isInstanceOf(CredentialException.class)
        .hasMessage("Credential file " + file + " is not valid UTF-8; it may be half-written");
  }

  @Test
  void oversizedFileFails() throws IOException {
    Path file = write("big.json", "{\"key\": \"" + "x".repeat(FileCredentialProvider.MAX_FILE_BYTES) + "\"}");

    assertThatThrownBy(() -> FileCredentialProvider.apiKey(file).build().fetch())
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("more than the limit of 1048576");
  }

  @Test
  void unknownExtensionNeedsFormat() throws IOException {
    Path file = write("credentials", "key=extensionless-key\n");

    assertThatThrownBy(() -> FileCredentialProvider.apiKey(file).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("call format(Format.JSON) or format(Format.PROPERTIES)");
    assertThat(FileCredentialProvider.apiKey(file).format(FileCredentialProvider.Format.PROPERTIES).build()
        .fetch().key().reveal()).isEqualTo("extensionless-key");
  }

  @Test
  void cacheWithMaxAgePicksUpRotation() throws IOException {
    FakeClock clock = FakeClock.atStartOf2026();
    ManualScheduler scheduler = new ManualScheduler(clock);
    Path file = write("key.json", "{\"key\": \"first-key\"}");
    CredentialCache<ApiKey> cache = CredentialCache.builder(FileCredentialProvider.apiKey(file).build())
        .clock(clock)
        .scheduler(scheduler)
        .fetchExecutor(Runnable::run)
        .maxAge(Duration.ofMinutes(5))
        .build();
    ApiKey first = cache.current();

    write("key.json", "{\"key\": \"second-key\"}");
    clock.advance(Duration.ofMinutes(4));
    ApiKey beforeMaxAge = cache.current();
    clock.advance(Duration.ofMinutes(1));
    scheduler.runDue();

    assertThat(beforeMaxAge).isSameAs(first);
    assertThat(cache.current().key().reveal()).isEqualTo("second-key");
  }
}
