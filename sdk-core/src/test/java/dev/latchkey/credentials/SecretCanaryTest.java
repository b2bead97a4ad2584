package dev.latchkey.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.credentials.providers.CredentialProviderChain;
import dev.latchkey.credentials.providers.EnvironmentCredentialProvider;
import dev.latchkey.credentials.providers.FileCredentialProvider;
import dev.latchkey.credentials.providers.StaticCredentialProvider;
import dev.latchkey.testing.Canaries;
import dev.latchkey.testing.FakeClock;
import dev.latchkey.testing.LogCapture;
import dev.latchkey.testing.ManualScheduler;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a canary secret into every secret-bearing type, provider and cache path, and looks for it in
 * {@code toString()}, exception messages (with their causes) and the captured log output.
 */
class SecretCanaryTest {

  private static final String CANARY = Canaries.MARKER + "5e1b7dsecret";

  /** The canary in a form that is valid Base64, for account keys. */
  private static final String BASE64_CANARY = Base64.getEncoder().encodeToString(CANARY.getBytes());

  /** A logger under the captured name, so the test's own log lines of credentials are checked too. */
  private static final Logger CANARY_LOG = LoggerFactory.getLogger("dev.latchkey.canary");

  private final FakeClock clock = FakeClock.atStartOf2026();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final LogCapture logs = LogCapture.of("dev.latchkey");
  private final List<Throwable> failures = new ArrayList<>();

  @TempDir
  Path directory;

  @AfterEach
  void checkLogs() {
    Canaries.record(CANARY);
    Canaries.record(BASE64_CANARY);
    logs.close();
    assertThat(logs.events()).as("captured log events").isNotEmpty();
    assertThat(logs.allText()).doesNotContain(CANARY).doesNotContain(BASE64_CANARY);
    for (Throwable failure : failures) {
      Canaries.recordException(failure);
      assertNoCanaryIn(failure);
    }
  }

  private static List<Credential> secretBearingCredentials(Instant expiry) {
    HeldCertificate certificate = new HeldCertificate.Builder().commonName("canary-client").build();
    return List.of(
        AwsCredentials.builder()
            .accessKeyId("ASIACANARY")
            .secretAccessKey(SecretValue.of(CANARY))
            .sessionToken(SecretValue.of(CANARY + "-session"))
            .expiresAt(expiry)
            .build(),
        AccessToken.builder().token(SecretValue.of(CANARY)).audience("storage").expiresAt(expiry).build(),
        SharedKey.of("canaryaccount", SecretValue.of(BASE64_CANARY)),
        SasToken.of(SecretValue.of("?sv=2025-05-05&se=2026-01-02&sig=" + CANARY), expiry),
        ApiKey.of(SecretValue.of(CANARY), null, expiry),
        ClientCertificate.of(certificate.keyPair().getPrivate(), List.of(certificate.certificate())));
  }

  @Test
  void credentialsHideSecretInToString() {
    for (Credential credential : secretBearingCredentials(clock.instant().plusSeconds(3600))) {
      assertThat(credential.toString()).as(credential.getClass().getSimpleName()).doesNotContain(CANARY);
      assertThat(credential.toString()).doesNotContain(BASE64_CANARY);
      assertThat(credential.id()).doesNotContain(CANARY).doesNotContain(BASE64_CANARY);
    }
    CANARY_LOG.info("credentials {}", secretBearingCredentials(clock.instant().plusSeconds(3600)));
  }

  @Test
  void clientCertificateHidesPrivateKey() {
    HeldCertificate certificate = new HeldCertificate.Builder().commonName("canary-client").build();
    ClientCertificate credential =
        ClientCertificate.of(certificate.keyPair().getPrivate(), List.of(certificate.certificate()));
    String encodedKey = Base64.getEncoder().encodeToString(certificate.keyPair().getPrivate().getEncoded());

    assertThat(credential.toString()).doesNotContain(encodedKey).doesNotContain(certificate.privateKeyPkcs8Pem());
    CANARY_LOG.info("certificate {}", credential);
    assertThat(logs.allText()).doesNotContain(encodedKey);
  }

  @Test
  void secretTypesAreNotSerializable() {
    List<Class<?>> types = new ArrayList<>(List.of(SecretValue.class, AwsCredentials.class, AccessToken.class,
        SharedKey.class, SasToken.class, ApiKey.class, ClientCertificate.class, CredentialCache.class,
        StaticCredentialProvider.class, EnvironmentCredentialProvider.class, FileCredentialProvider.class,
        CredentialProviderChain.class));
    types.add(CredentialCache.builder(() -> ApiKey.of(SecretValue.of(CANARY))).build().getClass());

    for (Class<?> type : types) {
      assertThat(Serializable.class.isAssignableFrom(type)).as(type.getName()).isFalse();
    }
    CANARY_LOG.info("checked {} types", types.size());
  }

  @Test
  void secretValueMasksItself() {
    SecretValue secret = SecretValue.of(CANARY);

    assertThat(secret.toString()).isEqualTo(SecretValue.MASK);
    assertThat(secret.fingerprint()).doesNotContain(CANARY);
    assertThat(String.valueOf(secret.hashCode())).doesNotContain(CANARY);
    CANARY_LOG.info("secret {}", secret);
  }

  @Test
  void invalidInputMessagesHideSecret() {
    failures.add(catchThrowable(() -> SharedKey.of("canaryaccount", SecretValue.of(CANARY + "!"))));
    failures.add(catchThrowable(() -> AwsCredentials.builder().accessKeyId("AKIACANARY").build()));
    failures.add(catchThrowable(() -> AccessToken.builder().token(SecretValue.of(CANARY))
        .expiresAt(clock.instant()).refreshAt(clock.instant().plusSeconds(1)).build()));

    assertThat(failures).allMatch(failure -> failure instanceof RuntimeException);
    CANARY_LOG.info("checked {} failures", failures.size());
  }

  @Test
  void cacheLifecycleHidesSecret() {
    for (Credential credential : secretBearingCredentials(clock.instant().plusSeconds(3600))) {
      runCacheLifecycle(credential);
    }
  }

  /** Drives one cache through issue, events, a throwing listener, failure, stale time and invalidation. */
  private <C extends Credential> void runCacheLifecycle(C credential) {
    List<CredentialEvent> events = new ArrayList<>();
    StaticCredentialProvider<C> provider = StaticCredentialProvider.of(credential);
    CredentialCache<C> cache = CredentialCache.builder(provider)
        .clock(clock)
        .scheduler(scheduler)
        .fetchExecutor(Runnable::run)
        .listener(events::add)
        .listener(event -> {
          throw new IllegalStateException("listener failed for " + event.credentialId());
        })
        .maxAge(Duration.ofMinutes(1))
        .build();

    C served = cache.current();
    cache.invalidate(served);
    cache.current();
    if (credential.expiresAt().isPresent()) {
      failures.add(catchThrowable(() -> expiredCache(credential).current()));
    }

    assertThat(cache.toString()).doesNotContain(CANARY).doesNotContain(BASE64_CANARY);
    assertThat(provider.toString()).doesNotContain(CANARY).doesNotContain(BASE64_CANARY);
    assertThat(events).isNotEmpty().allSatisfy(event ->
        assertThat(event.toString()).doesNotContain(CANARY).doesNotContain(BASE64_CANARY));
    cache.close();
    failures.add(catchThrowable(cache::current));
  }

  /** Returns a cache whose clock is ten years ahead, so {@code credential} arrives expired. */
  private <C extends Credential> CredentialCache<C> expiredCache(C credential) {
    FakeClock late = new FakeClock(clock.instant().plus(Duration.ofDays(3650)));
    return CredentialCache.builder(StaticCredentialProvider.of(credential))
        .clock(late)
        .scheduler(new ManualScheduler(late))
        .fetchExecutor(Runnable::run)
        .build();
  }

  @Test
  void providerFailuresHideSecret() throws IOException {
    Path halfWritten = directory.resolve("aws.json");
    Files.writeString(halfWritten, "{\"accessKeyId\": \"AKIACANARY\", \"secretAccessKey\": \"" + CANARY);
    Path badField = directory.resolve("key.json");
    Files.writeString(badField, "{\"key\": \"" + CANARY + "\", \"expiresAt\": \"" + CANARY + "\"}");
    Path unquoted = directory.resolve("token.json");
    Files.writeString(unquoted, "{\"token\": " + CANARY + "}");
    Map<String, String> environment = Map.of("ACCOUNT", "canaryaccount", "ACCOUNT_KEY", CANARY + "!");

    CredentialProviderChain<Credential> chain = CredentialProviderChain.of(
        FileCredentialProvider.aws(halfWritten).build(),
        FileCredentialProvider.apiKey(badField).build(),
        FileCredentialProvider.accessToken(unquoted).build(),
        EnvironmentCredentialProvider.sharedKey("ACCOUNT", "ACCOUNT_KEY").environment(environment::get).build(),
        () -> {
          throw new IllegalStateException("third-party failure quoting " + CANARY);
        });
    Throwable chainFailure = catchThrowable(chain::fetch);
    CredentialCache<Credential> cache = CredentialCache.builder(chain)
        .clock(clock)
        .scheduler(scheduler)
        .fetchExecutor(Runnable::run)
        .build();

    assertThat(chainFailure).hasMessageContaining("chain[");
    assertThat(chainFailure.getMessage()).doesNotContain(CANARY);
    failures.add(catchThrowable(cache::current));
    failures.add(catchThrowable(cache::current));
  }

  /** Asserts that neither the message of {@code failure} nor of any cause contains the canary. */
  private static void assertNoCanaryIn(Throwable failure) {
    assertThat(failure).isNotNull();
    for (Throwable current = failure; current != null; current = current.getCause()) {
      if (current.getMessage() != null) {
        assertThat(current.getMessage()).doesNotContain(CANARY).doesNotContain(BASE64_CANARY);
      }
      if (current.getMessage() != null && current.getMessage().contains("third-party failure")) {
        throw new AssertionError("a third-party exception message reached a cache exception: " + failure);
      }
      assertThat(current.toString()).doesNotContain(CANARY);
    }
  }
}
