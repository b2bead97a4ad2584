package dev.latchkey.faults;

import static dev.latchkey.faults.SoakHarness.HEAP_TOLERANCE_BYTES;
import static dev.latchkey.faults.SoakHarness.ISSUER_FAILURE_RATE;
import static dev.latchkey.faults.SoakHarness.LIFETIME;
import static dev.latchkey.faults.SoakHarness.RUN;
import static dev.latchkey.faults.SoakHarness.THREADS;
import static dev.latchkey.faults.SoakHarness.THREAD_TOLERANCE;
import static dev.latchkey.faults.SoakHarness.WARM_UP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.audit.AuditCredentialListener;
import dev.latchkey.audit.AuditSinks;
import dev.latchkey.audit.AuditStamper;
import dev.latchkey.audit.EventType;
import dev.latchkey.audit.JsonLinesAuditSink;
import dev.latchkey.audit.StorageRequestEvent;
import dev.latchkey.auth.ClientAuthentication;
import dev.latchkey.auth.ClientCredentialsProvider;
import dev.latchkey.auth.TokenEndpoint;
import dev.latchkey.azure.BlobBackend;
import dev.latchkey.azure.SharedKeySigner;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.SharedKey;
import dev.latchkey.credentials.WorkloadIdentity;
import dev.latchkey.faults.SoakHarness.CountingAuditSink;
import dev.latchkey.faults.SoakHarness.RunResult;
import dev.latchkey.faults.SoakHarness.Sample;
import dev.latchkey.policy.AccessPolicy;
import dev.latchkey.policy.Action;
import dev.latchkey.policy.Binding;
import dev.latchkey.policy.Role;
import dev.latchkey.policy.Rule;
import dev.latchkey.signing.SignableRequest;
import dev.latchkey.storage.ObjectContent;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.storage.StorageClient;
import dev.latchkey.testkit.AzuriteServer;
import dev.latchkey.testkit.AzuriteUnavailableException;
import dev.latchkey.testkit.FaultInjectingProxy;
import dev.latchkey.testkit.OidcIssuer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs 16 threads of Azure Blob calls against Azurite over HTTPS for a bounded time, authorized by
 * bearer tokens that live 5 seconds, while the issuer fails 30 % of its calls. The run lasts {@code
 * latchkey.soak.seconds} seconds, 45 by default.
 *
 * <p>The tokens come from the testkit's {@link OidcIssuer} with the {@code iss} and {@code aud} that
 * Azurite accepts ({@code https://sts.windows.net/{tenant}/} and {@code https://storage.azure.com}).
 * Azurite 3.35.0 with {@code --oauth basic} does not check the signature, but it rejects a token
 * whose {@code exp} has passed when the request arrives, with 403 {@code AuthenticationFailed}. The
 * test first shows that it does, then counts every 401 and 403 response during the run.
 */
class AzureSoakTest {

  private static final String TENANT = "5b1c2f3e-7d41-4b7a-9c0e-3a6f1d2e4b5c";
  private static final String STORAGE_AUDIENCE = "https://storage.azure.com";
  private static final String CONTAINER = "soak";
  private static final WorkloadIdentity IDENTITY = WorkloadIdentity.of("azure-soak-worker");
  private static final String SERVICE_VERSION = "2021-08-06";

  @Test
  void blobStorageSurvivesFailingIssuer() throws Exception {
    AzuriteServer azurite;
    try {
      azurite = AzuriteServer.builder().https().start();
    } catch (AzuriteUnavailableException e) {
      Assumptions.abort("The Azure soak needs Node.js 20 or later with npm: " + e.getMessage());
      return;
    }
    Canary canary = Canary.capture();
    CountingAuditSink tokenAudit = new CountingAuditSink();
    CountingAuditSink storageAudit = new CountingAuditSink();
    IssuerProbe probe = new IssuerProbe();
    BearerExpiryRecorder recorder = new BearerExpiryRecorder();
    // Setting up and checking Azurite goes through a client without the recorder, so the recorder
    // counts only the soak's requests.
    OkHttpClient setupHttp = new OkHttpClient.Builder()
        .sslSocketFactory(azurite.sslSocketFactory(), azurite.trustManager())
        .build();
    OkHttpClient http = setupHttp.newBuilder().addNetworkInterceptor(recorder).build();
    // Under target/canary/, so the scan of the whole suite's output searches this audit file as well.
    Path auditFile = dev.latchkey.testkit.Canary.DIRECTORY.resolve("azure-soak-audit.jsonl");
    Files.createDirectories(auditFile.getParent());
    Files.deleteIfExists(auditFile);
    RunResult result;
    Sample before;
    Sample after;
    long injected;
    long failingFaults;
    boolean settled;

    try (azurite;
        OidcIssuer issuer = OidcIssuer.builder()
            .issuerId("azure-soak")
            .tokenLifetime(LIFETIME)
            .audience(STORAGE_AUDIENCE)
            .claim("iss", "https://sts.windows.net/" + TENANT + "/")
            .claim("tid", TENANT)
            .start();
        FaultInjectingProxy issuerProxy = FaultInjectingProxy.builder(issuer.issuerUrl())
            .failureRate(ISSUER_FAILURE_RATE, SoakHarness.issuerFaults())
            .seed(20261205L)
            .start();
        JsonLinesAuditSink file = JsonLinesAuditSink.builder(auditFile).build();
        CredentialCache<AccessToken> tokens = tokenCache(
            issuerProxy.url(issuer.tokenEndpoint().encodedPath()).uri(), probe, AuditSinks.fanOut(tokenAudit, file));
        StorageClient storage = StorageClient.builder()
            .identity(IDENTITY)
            .policy(readWrite(azurite.accountName()))
            .backend(BlobBackend.builder().endpoint(azurite.blobEndpoint()).accessToken(tokens).httpClient(http).build())
            .auditSink(AuditSinks.fanOut(storageAudit, file))
            .build()) {
      createContainer(azurite, setupHttp);
      assertAzuriteRejectsExpiredTokens(azurite, setupHttp);

      SoakHarness.warmUp((worker, round) -> storage.put(ref(worker), payload(worker), "text/plain"));
      SoakHarness.run((worker, round) -> call(storage, worker, round), canary, WARM_UP);
      before = Sample.take();

      result = SoakHarness.run((worker, round) -> call(storage, worker, round), canary, RUN);

      after = Sample.take();
      settled = SoakHarness.awaitSettled(() -> probe.isIdle()
          && tokenAudit.count(EventType.CREDENTIAL_REFRESH_FAILED) == probe.fetchesFailed()
          && probe.fetchesFailed() + probe.silentRetries() == SoakHarness.failingFaults(issuerProxy));
      injected = issuerProxy.faultCount();
      failingFaults = SoakHarness.failingFaults(issuerProxy);
      System.out.printf("Soak Azure Blob: %ds, %d threads, %d calls, %d failed for want of a credential,"
              + " %d failed otherwise, max latency %d ms; issuer calls forwarded %d, faults injected %d %s,"
              + " token fetches %d (%d failed, %d silent OkHttp retries), token refresh failures audited %d,"
              + " tokens issued %d, refreshed %d; bearer requests %d, sent with an expired token %d,"
              + " smallest token margin at send %d ms, 401/403 responses %d; threads %d -> %d (outside the test servers %d -> %d), heap %d MiB -> %d MiB%n",
          RUN.toSeconds(), THREADS, result.calls.get(), result.credentialFailures.get(), result.unexpected.size(),
          result.maxLatencyMillis(), issuerProxy.forwardedCount(), injected, SoakHarness.faultsByKind(issuerProxy),
          probe.fetchesStarted(), probe.fetchesFailed(), probe.silentRetries(),
          tokenAudit.count(EventType.CREDENTIAL_REFRESH_FAILED), tokenAudit.count(EventType.CREDENTIAL_ISSUED),
          tokenAudit.count(EventType.CREDENTIAL_REFRESHED), recorder.bearerRequests(), recorder.expiredAtSend(),
          recorder.minMarginMillis(), recorder.rejected(), before.threads(), after.threads(),
          before.clientThreads(), after.clientThreads(), before.heapMebibytes(),
          after.heapMebibytes());
    } finally {
      probe.close();
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }

    assertThat(result.unexpected).as("storage calls that failed for another reason than a missing credential").isEmpty();
    assertThat(result.credentialFailures.get()).as("storage calls that failed for want of a credential").isZero();
    assertThat(result.calls.get()).as("storage calls").isGreaterThan(THREADS * RUN.toSeconds());
    assertThat(recorder.rejections()).as("requests Azurite rejected with 401 or 403").isEmpty();
    assertThat(recorder.rejected()).as("401 and 403 responses").isZero();
    assertThat(recorder.expiredAtSend()).as("requests sent at or after their token's exp").isZero();
    assertThat(injected).as("faults the issuer proxy injected").isPositive();
    assertThat(settled).as("token fetches settled within 5 s of the run's end").isTrue();
    assertThat(tokenAudit.count(EventType.CREDENTIAL_REFRESH_FAILED)).as("token refresh failures audited")
        .isEqualTo(probe.fetchesFailed());
    assertThat(probe.fetchesFailed() + probe.silentRetries())
        .as("failed token fetches plus OkHttp's silent retries, against the failing faults injected")
        .isEqualTo(failingFaults);
    assertThat(tokenAudit.count(EventType.CREDENTIAL_REFRESHED)).as("token refreshes")
        .isGreaterThanOrEqualTo(RUN.toSeconds() / LIFETIME.toSeconds());
    List<StorageRequestEvent> failedAttempts = storageAudit.failedStorageRequests();
    System.out.println("Soak Azure Blob: failed storage attempts (each retried or reported): " + failedAttempts);
    assertThat(failedAttempts).as("storage.request failure events").hasSizeGreaterThanOrEqualTo(result.unexpected.size())
        .allSatisfy(event -> assertThat(event.errorMessage()).as("error of " + event).isNotBlank());
    assertThat(after.clientThreads()).as("live threads outside the test servers after the run: %s before, %s after",
        before.names(), after.names()).isLessThanOrEqualTo(before.clientThreads() + THREAD_TOLERANCE);
    assertThat(after.heapBytes()).as("used heap after a GC").isLessThanOrEqualTo(before.heapBytes() + HEAP_TOLERANCE_BYTES);

    recorder.tokens().forEach(canary::addSecret);
    canary.assertNoSecretIn(Files.readAllLines(auditFile));
  }

  private static CredentialCache<AccessToken> tokenCache(URI tokenUri, IssuerProbe probe,
      dev.latchkey.audit.AuditSink audit) {
    TokenEndpoint endpoint = TokenEndpoint.builder()
        .uri(tokenUri)
        .clientAuthentication(ClientAuthentication.clientSecretPost(IDENTITY.name(), SecretValue.of(Canary.CLIENT_SECRET)))
        .connectTimeout(Duration.ofSeconds(2))
        .readTimeout(Duration.ofSeconds(2))
        .httpClient(probe.httpClient())
        .build();
    ClientCredentialsProvider provider = ClientCredentialsProvider.builder()
        .tokenEndpoint(endpoint)
        .scopes(STORAGE_AUDIENCE + "/.default")
        .build();
    return CredentialCache.builder(probe.counted(provider))
        .backoff(Duration.ofMillis(50), Duration.ofMillis(400))
        .maxWait(Duration.ofSeconds(3))
        .listener(AuditCredentialListener.create(IDENTITY, audit, AuditStamper.system()))
        .build();
  }

  private static AccessPolicy readWrite(String account) {
    return AccessPolicy.builder()
        .role(Role.builder().name("read-write")
            .rule(Rule.allow("read-write").actions(Action.READ, Action.WRITE)
                .resources("azure://" + account + "/" + CONTAINER + "/**"))
            .build())
        .binding(Binding.builder().id("azure-soak").identities(IDENTITY.name()).roles("read-write").build())
        .build();
  }

  /** Creates the container with the account key: the storage client has no Create Container. */
  private static void createContainer(AzuriteServer azurite, OkHttpClient http) throws IOException {
    SharedKey accountKey = SharedKey.of(azurite.accountName(), SecretValue.of(azurite.primaryKey()));
    URI uri = URI.create(azurite.blobEndpoint() + "/" + CONTAINER + "?restype=container");
    SignableRequest unsigned = SignableRequest.builder("PUT", uri).addHeader("Content-Length", "0").build();
    SignableRequest signed = SharedKeySigner.create().sign(unsigned, accountKey, Instant.now());
    Request.Builder request = new Request.Builder().url(signed.uri().toString()).put(RequestBody.create(new byte[0]));
    signed.headers().forEach(header -> request.header(header.name(), header.value()));
    try (Response response = http.newCall(request.build()).execute()) {
      assertThat(response.code()).as("Create Container").isEqualTo(201);
    }
  }

  /**
   * Sends List Blobs with two unsigned JWTs of the issuer's shape, one that expired a minute ago and
   * one that expires in a minute. Azurite must reject the first and accept the second, so that a
   * 403 in the run points to an expired token.
   */
  private static void assertAzuriteRejectsExpiredTokens(AzuriteServer azurite, OkHttpClient http) throws IOException {
    long now = Instant.now().getEpochSecond();
    try (Response expired = listBlobs(azurite, http, unsignedToken(now - 120, now - 60))) {
      assertThat(expired.code()).as("List Blobs with a token that expired a minute ago").isEqualTo(403);
      assertThat(expired.body().string()).as("Azurite's error").contains("The token is expired");
    }
    try (Response valid = listBlobs(azurite, http, unsignedToken(now - 60, now + 60))) {
      assertThat(valid.code()).as("List Blobs with a token that expires in a minute").isEqualTo(200);
    }
  }

  private static Response listBlobs(AzuriteServer azurite, OkHttpClient http, String token) throws IOException {
    Request request = new Request.Builder()
        .url(azurite.blobEndpoint() + "/" + CONTAINER + "?restype=container&comp=list")
        .header("Authorization", "Bearer " + token)
        .header("x-ms-version", SERVICE_VERSION)
        .header("x-ms-date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)))
        .build();
    return http.newCall(request).execute();
  }

  /** Returns a JWT with Azure Storage claims and a placeholder signature, which Azurite does not check. */
  private static String unsignedToken(long issuedAt, long expiresAt) {
    String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
    String claims = "{\"iss\":\"https://sts.windows.net/" + TENANT + "/\",\"aud\":\"" + STORAGE_AUDIENCE
        + "\",\"sub\":\"" + IDENTITY.name() + "\",\"iat\":" + issuedAt + ",\"nbf\":" + issuedAt
        + ",\"exp\":" + expiresAt + "}";
    Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
    return encoder.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
        + encoder.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
  }

  private static void call(StorageClient storage, int worker, long round) throws IOException {
    if (round % 4 == 3) {
      storage.put(ref(worker), payload(worker), "text/plain");
      return;
    }
    try (ObjectContent content = storage.get(ref(worker))) {
      byte[] body = content.stream().readAllBytes();
      if (!new String(body, StandardCharsets.UTF_8).equals(new String(payload(worker), StandardCharsets.UTF_8))) {
        throw new IllegalStateException("Blob " + ref(worker) + " has unexpected content");
      }
    }
  }

  private static ObjectRef ref(int worker) {
    return ObjectRef.of(CONTAINER, "worker-" + worker + "/data.txt");
  }

  private static byte[] payload(int worker) {
    return ("payload of worker " + worker + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
