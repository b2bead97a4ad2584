package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.gaul.s3proxy.BlobStoreLocator;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

// The AWS SDK's own S3Client signs here, so the locator is tested independently of Latchkey's signer.
class IssuedKeyLocatorTest {

  private static final String ROLE = "arn:aws:iam::123456789012:role/reader";
  private static final String ROOT_ID = "AKIDROOTEXAMPLE";
  private static final String ROOT_SECRET = "root-secret";
  private static final String REPORTS_2026 = """
      {"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::reports/2026/*"},
        {"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::reports",
         "Condition":{"StringLike":{"s3:prefix":"2026/*"}}}]}
      """;

  private final FakeClock clock = FakeClock.at(Instant.now());
  private final TestSts sts = TestSts.builder()
      .clock(clock)
      .defaultLifetime(Duration.ofSeconds(60))
      .rootKey(ROOT_ID, ROOT_SECRET)
      .start();
  private final BlobStore store = S3ProxyServer.newTransientBlobStore();
  private S3ProxyServer s3;

  @AfterEach
  void stopServers() {
    if (s3 != null) {
      s3.close();
    }
    sts.close();
  }

  private void startS3(BlobStoreLocator locator) {
    s3 = S3ProxyServer.builder()
        .blobStore(store)
        .blobStoreLocator(locator)
        .ignoreUnknownHeaders(true)
        .start();
    s3.createBucket("reports");
  }

  private IssuedCredentials assumeRole(String policy) throws Exception {
    String body = "Action=AssumeRole&Version=2011-06-15&RoleArn=" + URLEncoder.encode(ROLE, StandardCharsets.UTF_8)
        + "&RoleSessionName=locator-test"
        + (policy == null ? "" : "&Policy=" + URLEncoder.encode(policy, StandardCharsets.UTF_8));
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(sts.endpoint())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + ROOT_ID + "/20260101/us-east-1/sts/aws4_request")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return sts.issued().get(sts.issued().size() - 1);
  }

  private S3Client client(AwsCredentials credentials) {
    return S3Client.builder()
        .endpointOverride(URI.create(s3.endpoint().toString()))
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(credentials))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }

  private static AwsCredentials session(IssuedCredentials issued) {
    return AwsSessionCredentials.create(issued.accessKeyId(), issued.secretAccessKey(), issued.sessionToken());
  }

  private static void put(S3Client client, String key, String content) {
    client.putObject(request -> request.bucket("reports").key(key), RequestBody.fromString(content));
  }

  @Test
  void acceptsIssuedKeyUntilItExpires() throws Exception {
    startS3(sts.blobStoreLocator(store));
    IssuedCredentials issued = assumeRole(null);

    try (S3Client client = client(session(issued))) {
      put(client, "2026/q1.csv", "a,b");
      assertThat(store.blobExists("reports", "2026/q1.csv")).isTrue();

      clock.advance(Duration.ofSeconds(61));
      assertThatThrownBy(() -> put(client, "2026/q2.csv", "c,d"))
          .isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAccessKeyId");
          });
    }
    assertThat(store.blobExists("reports", "2026/q2.csv")).isFalse();
    assertThat(sts.expiredKeyUses()).isNotEmpty();
    ExpiredKeyUse use = sts.expiredKeyUses().get(0);
    assertThat(use.accessKeyId()).isEqualTo(issued.accessKeyId());
    assertThat(use.bucket()).isEqualTo("reports");
    assertThat(use.expiredFor()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void enforcesSessionPolicyPrefixAndActions() throws Exception {
    startS3(sts.blobStoreLocator(store));
    IssuedCredentials issued = assumeRole(REPORTS_2026);

    try (S3Client client = client(session(issued))) {
      put(client, "2026/allowed.csv", "ok");
      assertThat(client.getObjectAsBytes(request -> request.bucket("reports").key("2026/allowed.csv"))
          .asUtf8String()).isEqualTo("ok");
      assertThat(client.listObjectsV2(request -> request.bucket("reports").prefix("2026/")).contents())
          .extracting(object -> object.key()).containsExactly("2026/allowed.csv");

      assertDenied(() -> put(client, "2025/old.csv", "no"));
      assertDenied(() -> client.deleteObject(request -> request.bucket("reports").key("2026/allowed.csv")));
      assertDenied(() -> client.listObjectsV2(request -> request.bucket("reports")));
    }
    assertThat(store.blobExists("reports", "2025/old.csv")).isFalse();
    assertThat(store.blobExists("reports", "2026/allowed.csv")).isTrue();
  }

  @Test
  void acceptsRootKeyWithFullAccess() {
    startS3(sts.blobStoreLocator(store));

    try (S3Client client = client(AwsBasicCredentials.create(ROOT_ID, ROOT_SECRET))) {
      put(client, "anywhere.txt", "root");
    }
    assertThat(store.blobExists("reports", "anywhere.txt")).isTrue();
  }

  @Test
  void rejectsUnknownKey() {
    startS3(sts.blobStoreLocator(store));

    try (S3Client client = client(AwsBasicCredentials.create("ASIAUNKNOWN", "whatever"))) {
      assertThatThrownBy(() -> put(client, "x.txt", "x"))
          .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    }
    assertThat(sts.expiredKeyUses()).isEmpty();
  }

  @Test
  void nullFromLocatorIsInvalidAccessKeyId() {
    startS3((identity, container, blob) -> null);

    try (S3Client client = client(AwsBasicCredentials.create(ROOT_ID, ROOT_SECRET))) {
      assertThatThrownBy(() -> put(client, "x.txt", "x"))
          .isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAccessKeyId");
          });
    }
  }

  // S3Proxy 4.1.0 turns a runtime exception from the locator into 400 InvalidRequest, not a 5xx,
  // so a locator must reject keys by returning null rather than by throwing.
  @Test
  void exceptionFromLocatorIsBadRequest() {
    startS3((identity, container, blob) -> {
      throw new IllegalStateException("locator failed");
    });

    try (S3Client client = client(AwsBasicCredentials.create(ROOT_ID, ROOT_SECRET))) {
      assertThatThrownBy(() -> put(client, "x.txt", "x"))
          .isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRequest");
          });
    }
    assertThat(store.blobExists("reports", "x.txt")).isFalse();
  }

  private static void assertDenied(Runnable call) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(S3Exception.class, e -> {
      assertThat(e.statusCode()).isEqualTo(403);
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
    });
  }
}
