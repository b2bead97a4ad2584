package dev.latchkey.s3.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.audit.AccessAuditEvent;
import dev.latchkey.audit.EventOutcome;
import dev.latchkey.audit.EventType;
import dev.latchkey.audit.InMemoryAuditSink;
import dev.latchkey.audit.StorageRequestEvent;
import dev.latchkey.credentials.WorkloadIdentity;
import dev.latchkey.policy.AccessDeniedException;
import dev.latchkey.policy.AccessPolicy;
import dev.latchkey.policy.Action;
import dev.latchkey.policy.Binding;
import dev.latchkey.policy.Role;
import dev.latchkey.policy.Rule;
import dev.latchkey.testkit.S3ProxyServer;
import java.net.URI;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

class LatchkeyExecutionInterceptorTest {

  private static final AccessPolicy POLICY = AccessPolicy.builder()
      .role(Role.builder().name("reports-writer")
          .rule(Rule.allow("write-2026").actions(Action.READ, Action.WRITE, Action.LIST)
              .resources("s3://reports/2026/**"))
          .rule(Rule.deny("no-secrets").actions(Action.READ, Action.WRITE)
              .resources("s3://reports/2026/secret/**"))
          .build())
      .binding(Binding.builder().id("exporter").identities("billing-exporter").roles("reports-writer").build())
      .build();

  private final InMemoryAuditSink audit = new InMemoryAuditSink();
  private S3ProxyServer s3;
  private S3Client client;

  @BeforeEach
  void startServer() {
    s3 = S3ProxyServer.builder().start();
    s3.createBucket("reports");
    client = S3Client.builder()
        .endpointOverride(URI.create(s3.endpoint().toString()))
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.identity(), s3.credential())))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(config -> config.addExecutionInterceptor(LatchkeyExecutionInterceptor.builder()
            .identity(WorkloadIdentity.of("billing-exporter"))
            .policy(POLICY)
            .auditSink(audit)
            .build()))
        .build();
  }

  @AfterEach
  void stopServer() {
    client.close();
    s3.close();
  }

  @Test
  void allowedCallIsSentAndAudited() {
    client.putObject(request -> request.bucket("reports").key("2026/q1.csv"), RequestBody.fromString("a,b"));

    assertThat(s3.objectExists("reports", "2026/q1.csv")).isTrue();
    AccessAuditEvent access = (AccessAuditEvent) audit.events(EventType.ACCESS_ALLOWED).get(0);
    assertThat(access.action()).isEqualTo("WRITE");
    assertThat(access.resource()).isEqualTo("s3://reports/2026/q1.csv");
    assertThat(access.rule()).contains("write-2026");
    StorageRequestEvent request = (StorageRequestEvent) audit.events(EventType.STORAGE_REQUEST).get(0);
    assertThat(request.outcome()).isEqualTo(EventOutcome.SUCCESS);
    assertThat(request.statusCode()).isEqualTo(200);
    assertThat(request.method()).isEqualTo("PUT");
  }

  @Test
  void requestEventHasBodySizeAndKeyId() {
    client.putObject(request -> request.bucket("reports").key("2026/eight.bin").contentType("application/octet-stream"),
        RequestBody.fromString("12345678"));

    StorageRequestEvent request = (StorageRequestEvent) audit.events(EventType.STORAGE_REQUEST).get(0);
    assertThat(request.bytesSent()).isEqualTo(8);
    assertThat(request.credentialId()).isEqualTo(s3.identity());
  }

  /** With checksums the SDK sends the body aws-chunked with a trailer, so the wire length is longer. */
  @Test
  void chunkedUploadEventHasPayloadSize() {
    try (S3Client chunked = S3Client.builder()
        .endpointOverride(URI.create(s3.endpoint().toString()))
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.identity(), s3.credential())))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_SUPPORTED)
        .overrideConfiguration(config -> config.addExecutionInterceptor(LatchkeyExecutionInterceptor.builder()
            .identity(WorkloadIdentity.of("billing-exporter"))
            .policy(POLICY)
            .auditSink(audit)
            .build()))
        .build()) {
      chunked.putObject(request -> request.bucket("reports").key("2026/chunked.bin").contentType("application/octet-stream"),
          RequestBody.fromString("12345678"));
    }

    StorageRequestEvent request = (StorageRequestEvent) audit.events(EventType.STORAGE_REQUEST).get(0);
    assertThat(request.statusCode()).isEqualTo(200);
    assertThat(request.bytesSent()).isEqualTo(8);
  }

  @Test
  void failedRequestEventHasKeyId() {
    assertThatThrownBy(() -> client.getObject(request -> request.bucket("reports").key("2026/missing.csv")))
        .isInstanceOf(NoSuchKeyException.class);

    StorageRequestEvent request = (StorageRequestEvent) audit.events(EventType.STORAGE_REQUEST).get(0);
    assertThat(request.credentialId()).isEqualTo(s3.identity());
    assertThat(request.bytesSent()).isZero();
  }

  @Test
  void accessKeyIdComesFromAuthorization() {
    SdkHttpRequest signed = SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(URI.create("http://127.0.0.1/b/k"))
        .putHeader("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260301/us-east-1/s3/aws4_request, "
            + "SignedHeaders=host;x-amz-date, Signature=abc123")
        .build();
    SdkHttpRequest unsigned = signed.toBuilder().removeHeader("Authorization").build();
    SdkHttpRequest noScope = signed.toBuilder().putHeader("Authorization", "AWS4-HMAC-SHA256 Credential=AKID").build();

    assertThat(LatchkeyExecutionInterceptor.accessKeyId(signed)).isEqualTo("AKIDEXAMPLE");
    assertThat(LatchkeyExecutionInterceptor.accessKeyId(unsigned)).isNull();
    assertThat(LatchkeyExecutionInterceptor.accessKeyId(noScope)).isNull();
    assertThat(LatchkeyExecutionInterceptor.accessKeyId(null)).isNull();
  }

  @Test
  void deniedCallIsNeverSent() {
    assertDenied(() -> client.putObject(request -> request.bucket("reports").key("2025/old.csv"),
        RequestBody.fromString("x")));
    assertDenied(() -> client.putObject(request -> request.bucket("reports").key("2026/secret/key.pem"),
        RequestBody.fromString("x")));
    assertDenied(() -> client.deleteObject(request -> request.bucket("reports").key("2026/q1.csv")));

    assertThat(s3.objectExists("reports", "2025/old.csv")).isFalse();
    assertThat(s3.objectExists("reports", "2026/secret/key.pem")).isFalse();
    assertThat(audit.events(EventType.ACCESS_DENIED)).hasSize(3);
    assertThat(audit.events(EventType.STORAGE_REQUEST)).isEmpty();
  }

  @Test
  void uncoveredOperationIsDenied() {
    assertDenied(() -> client.listBuckets());
    assertDenied(() -> client.deleteBucket(request -> request.bucket("reports")));

    AccessAuditEvent denied = (AccessAuditEvent) audit.events(EventType.ACCESS_DENIED).get(0);
    assertThat(denied.action()).isEqualTo("ListBuckets");
    assertThat(denied.reason()).contains("has no access policy action");
  }

  @Test
  void failedCallIsAuditedWithErrorCode() {
    assertThatThrownBy(() -> client.getObject(request -> request.bucket("reports").key("2026/missing.csv")))
        .isInstanceOf(NoSuchKeyException.class);

    StorageRequestEvent request = (StorageRequestEvent) audit.events(EventType.STORAGE_REQUEST).get(0);
    assertThat(request.outcome()).isEqualTo(EventOutcome.FAILURE);
    assertThat(request.statusCode()).isEqualTo(404);
    assertThat(request.errorCode()).isEqualTo("NoSuchKey");
    assertThat(request.action()).isEqualTo("READ");
  }

  private static void assertDenied(ThrowingCallable call) {
    assertThatThrownBy(call).satisfies(thrown -> {
      Throwable cause = thrown;
      while (cause != null && !(cause instanceof AccessDeniedException)) {
        cause = cause.getCause();
      }
      assertThat(cause).as("AccessDeniedException in the cause chain of %s", thrown).isNotNull();
    });
  }
}
