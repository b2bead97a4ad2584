package dev.latchkey.examples;

import dev.latchkey.audit.InMemoryAuditSink;
import dev.latchkey.auth.ClientAuthentication;
import dev.latchkey.auth.ClientCredentialsProvider;
import dev.latchkey.auth.TokenEndpoint;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.WorkloadIdentity;
import dev.latchkey.policy.AccessDeniedException;
import dev.latchkey.policy.AccessPolicy;
import dev.latchkey.s3.bridge.LatchkeyCredentialsProvider;
import dev.latchkey.s3.bridge.LatchkeyExecutionInterceptor;
import dev.latchkey.s3.credentials.WebIdentityCredentialsProvider;
import dev.latchkey.testkit.Sandbox;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An existing AWS SDK v2 {@link S3Client} gets Latchkey's lifecycle engine, policy and audit:
 * credentials come from a {@link CredentialCache} over STS AssumeRoleWithWebIdentity through {@link
 * LatchkeyCredentialsProvider}, and {@link LatchkeyExecutionInterceptor} checks the policy and writes
 * audit events for each call.
 *
 * <p>Run from the repository root: {@code mvn -B -ntp -Pdemo -DskipTests package
 * -Ddemo.mainClass=dev.latchkey.examples.AwsSdkBridgeExample}
 */
public final class AwsSdkBridgeExample {

  private AwsSdkBridgeExample() {}

  public static void main(String[] args) {
    WorkloadIdentity identity = WorkloadIdentity.of("report-exporter");
    AccessPolicy policy = DemoPolicies.readWrite(identity.name(), "s3://reports/exports/**");
    InMemoryAuditSink audit = new InMemoryAuditSink();
    try (Sandbox sandbox = Sandbox.builder().azurite(false).buckets("reports").start();
        CredentialCache<AccessToken> tokens = CredentialCache.builder(ClientCredentialsProvider.builder()
            .tokenEndpoint(TokenEndpoint.builder()
                .uri(sandbox.issuer().tokenEndpoint().uri())
                .clientAuthentication(ClientAuthentication.clientSecretBasic(identity.name(), SecretValue.of("example-secret")))
                .build())
            .build()).build();
        CredentialCache<AwsCredentials> keys = CredentialCache.builder(WebIdentityCredentialsProvider.builder()
            .endpoint(sandbox.stsEndpoint())
            .region("us-east-1")
            .roleArn("arn:aws:iam::000000000000:role/report-exporter")
            .tokenProvider(tokens)
            .build()).build();
        S3Client s3 = S3Client.builder()
            .endpointOverride(sandbox.s3Endpoint())
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(LatchkeyCredentialsProvider.create(keys))
            .overrideConfiguration(config -> config.addExecutionInterceptor(LatchkeyExecutionInterceptor.builder()
                .identity(identity).policy(policy).auditSink(audit).build()))
            .build()) {
      s3.putObject(request -> request.bucket("reports").key("exports/sdk.csv"), RequestBody.fromString("a,b\n1,2\n"));
      String body = s3.getObjectAsBytes(request -> request.bucket("reports").key("exports/sdk.csv")).asUtf8String();
      System.out.println("read through the AWS SDK: " + body.replace("\n", "\\n"));
      System.out.println("signed with STS key: " + keys.current().id());
      try {
        s3.deleteObject(request -> request.bucket("reports").key("finance/q4.csv"));
      } catch (AccessDeniedException e) {
        System.out.println("denied before sending: " + e.getMessage());
      }
      System.out.println("audit events: " + audit.events().size());
      audit.jsonLines().stream().limit(2).forEach(line -> System.out.println("  " + line));
    }
  }
}
