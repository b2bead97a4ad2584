package dev.latchkey.faults;

import dev.latchkey.audit.AuditCredentialListener;
import dev.latchkey.audit.AuditSink;
import dev.latchkey.audit.AuditStamper;
import dev.latchkey.auth.ClientAuthentication;
import dev.latchkey.auth.ClientCredentialsProvider;
import dev.latchkey.auth.TokenEndpoint;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.WorkloadIdentity;
import dev.latchkey.policy.AccessPolicy;
import dev.latchkey.policy.Action;
import dev.latchkey.policy.Binding;
import dev.latchkey.policy.Role;
import dev.latchkey.policy.Rule;
import dev.latchkey.s3.S3Backend;
import dev.latchkey.s3.credentials.WebIdentityCredentialsProvider;
import dev.latchkey.storage.StorageClient;
import java.net.URI;
import java.time.Duration;

/**
 * The S3 chain of the demo, built for fault tests: a client-secret token from an issuer URL (usually
 * a fault-injecting proxy), exchanged at an STS URL for keys that sign S3 requests. The token
 * requests and fetches are counted by an {@link IssuerProbe}.
 */
final class WebIdentityChain implements AutoCloseable {

  static final WorkloadIdentity IDENTITY = WorkloadIdentity.of("soak-worker");

  final CredentialCache<AccessToken> tokens;
  final CredentialCache<AwsCredentials> keys;
  final StorageClient storage;

  WebIdentityChain(URI tokenUri, URI stsUri, URI s3Uri, String bucket, IssuerProbe issuerProbe, AuditSink tokenAudit,
      AuditSink keyAudit, AuditSink storageAudit) {
    AuditStamper stamper = AuditStamper.system();
    TokenEndpoint endpoint = TokenEndpoint.builder()
        .uri(tokenUri)
        .clientAuthentication(ClientAuthentication.clientSecretPost(IDENTITY.name(), SecretValue.of(Canary.CLIENT_SECRET)))
        .connectTimeout(Duration.ofSeconds(2))
        .readTimeout(Duration.ofSeconds(2))
        .httpClient(issuerProbe.httpClient())
        .build();
    tokens = CredentialCache.builder(issuerProbe.counted(
            ClientCredentialsProvider.builder().tokenEndpoint(endpoint).scopes("storage").build()))
        .backoff(Duration.ofMillis(50), Duration.ofMillis(400))
        .maxWait(Duration.ofSeconds(3))
        .listener(AuditCredentialListener.create(IDENTITY, tokenAudit, stamper))
        .build();
    keys = CredentialCache.builder(WebIdentityCredentialsProvider.builder()
            .endpoint(stsUri)
            .region("us-east-1")
            .roleArn("arn:aws:iam::000000000000:role/soak-worker")
            .roleSessionName(IDENTITY.name())
            .tokenProvider(tokens)
            .build())
        .backoff(Duration.ofMillis(50), Duration.ofMillis(400))
        .maxWait(Duration.ofSeconds(3))
        .listener(AuditCredentialListener.create(IDENTITY, keyAudit, stamper))
        .build();
    storage = StorageClient.builder()
        .identity(IDENTITY)
        .policy(readWrite(bucket))
        .backend(S3Backend.builder()
            .endpoint(s3Uri)
            .region("us-east-1")
            .addressing(S3Backend.Addressing.PATH_STYLE)
            .credentials(keys)
            .build())
        .auditSink(storageAudit)
        .build();
  }

  private static AccessPolicy readWrite(String bucket) {
    return AccessPolicy.builder()
        .role(Role.builder().name("read-write")
            .rule(Rule.allow("read-write").actions(Action.READ, Action.WRITE, Action.LIST).resources("s3://" + bucket + "/**"))
            .build())
        .binding(Binding.builder().id("soak").identities(IDENTITY.name()).roles("read-write").build())
        .build();
  }

  @Override
  public void close() {
    storage.close();
    keys.close();
    tokens.close();
  }
}
