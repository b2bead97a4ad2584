package dev.latchkey.examples;

import dev.latchkey.audit.AuditCredentialListener;
import dev.latchkey.audit.AuditSink;
import dev.latchkey.audit.AuditStamper;
import dev.latchkey.auth.ClientAuthentication;
import dev.latchkey.auth.ClientCredentialsProvider;
import dev.latchkey.auth.SigningKey;
import dev.latchkey.auth.TokenEndpoint;
import dev.latchkey.auth.jose.JwsAlgorithm;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.WorkloadIdentity;
import dev.latchkey.policy.AccessPolicy;
import dev.latchkey.s3.S3Backend;
import dev.latchkey.s3.credentials.WebIdentityCredentialsProvider;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.storage.StorageBackend;
import dev.latchkey.storage.StorageClient;
import dev.latchkey.testkit.Sandbox;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/**
 * The S3 half of the demo: {@code report-exporter} authenticates to the sandbox's OpenID Connect
 * issuer with {@code private_key_jwt}, exchanges its token at the STS for S3 keys narrowed by its
 * access policy, and runs the {@link DemoWorkload} through a {@link StorageClient}.
 */
final class S3Demo {

  private final Sandbox sandbox;
  private final DemoOptions options;
  private final AccessPolicy policy;
  private final WorkloadIdentity identity;

  S3Demo(Sandbox sandbox, DemoOptions options, AccessPolicy policy, WorkloadIdentity identity) {
    this.sandbox = sandbox;
    this.options = options;
    this.policy = policy;
    this.identity = identity;
  }

  void run(AuditSink audit, DemoStats stats) throws InterruptedException {
    sandbox.putObject("reports", DemoWorkload.FORBIDDEN_KEY, "name,salary\n".getBytes(StandardCharsets.UTF_8));
    AuditStamper stamper = AuditStamper.system();
    try (CredentialCache<AccessToken> tokens = tokenCache(audit, stamper);
        CredentialCache<AwsCredentials> keys = keyCache(tokens, audit, stamper);
        StorageClient storage = client(policy, backend(keys), audit);
        StorageClient unrestricted = client(DemoPolicies.readEverything(identity.name(), "s3://reports/**"), backend(keys), audit)) {
      stats.mismatches.add(new DemoWorkload("S3", storage, unrestricted, options.duration(),
          ObjectRef.of(DemoWorkload.CONTAINER, "finance/q4.csv"), ObjectRef.of(DemoWorkload.CONTAINER, DemoWorkload.FORBIDDEN_KEY)).run(stats));
    }
  }

  private CredentialCache<AccessToken> tokenCache(AuditSink audit, AuditStamper stamper) {
    TokenEndpoint endpoint = TokenEndpoint.builder()
        .uri(sandbox.issuer().tokenEndpoint().uri())
        .clientAuthentication(ClientAuthentication.privateKeyJwt(identity.name(), signingKey()))
        .build();
    return CredentialCache.builder(ClientCredentialsProvider.builder().tokenEndpoint(endpoint).scopes("storage").build())
        .listener(AuditCredentialListener.create(identity, audit, stamper))
        .build();
  }

  private CredentialCache<AwsCredentials> keyCache(CredentialCache<AccessToken> tokens, AuditSink audit, AuditStamper stamper) {
    WebIdentityCredentialsProvider exchange = WebIdentityCredentialsProvider.builder()
        .endpoint(sandbox.stsEndpoint())
        .region("us-east-1")
        .roleArn("arn:aws:iam::000000000000:role/report-exporter")
        .roleSessionName(identity.name())
        .tokenProvider(tokens)
        .policy(policy.toAwsSessionPolicy(identity).json())
        .build();
    return CredentialCache.builder(exchange)
        .listener(AuditCredentialListener.create(identity, audit, stamper))
        .build();
  }

  private StorageBackend backend(CredentialCache<AwsCredentials> keys) {
    return S3Backend.builder()
        .endpoint(sandbox.s3Endpoint())
        .region("us-east-1")
        .addressing(S3Backend.Addressing.PATH_STYLE)
        .credentials(keys)
        .build();
  }

  private StorageClient client(AccessPolicy clientPolicy, StorageBackend backend, AuditSink audit) {
    return StorageClient.builder()
        .identity(identity)
        .policy(clientPolicy)
        .backend(backend)
        .auditSink(audit)
        .build();
  }

  private SigningKey signingKey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return SigningKey.builder()
          .algorithm(JwsAlgorithm.ES256)
          .privateKey(generator.generateKeyPair().getPrivate())
          .keyId(identity.name() + "-key-1")
          .build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot generate the demo's EC P-256 key", e);
    }
  }
}
