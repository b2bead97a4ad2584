package dev.latchkey.examples;

import dev.latchkey.audit.AuditCredentialListener;
import dev.latchkey.audit.AuditSink;
import dev.latchkey.audit.AuditStamper;
import dev.latchkey.azure.BlobBackend;
import dev.latchkey.azure.sas.BlobSas;
import dev.latchkey.azure.sas.SasProtocol;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.SasToken;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.SharedKey;
import dev.latchkey.credentials.WorkloadIdentity;
import dev.latchkey.policy.AccessPolicy;
import dev.latchkey.policy.Resource;
import dev.latchkey.policy.SasScope;
import dev.latchkey.storage.ExchangeListener;
import dev.latchkey.storage.ObjectBody;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.storage.StorageBackend;
import dev.latchkey.storage.StorageClient;
import dev.latchkey.testkit.AzuriteServer;
import java.nio.charset.StandardCharsets;
import okhttp3.OkHttpClient;

/**
 * The Azure Blob half of the demo: {@code report-exporter} gets container SAS tokens that its access
 * policy narrows to the {@code reports} container and that live as long as the S3 keys, from a
 * token broker that has the account key, and runs the same {@link DemoWorkload} against Azurite.
 */
final class AzureDemo {

  private static final String FINANCE = "finance";

  private final AzuriteServer azurite;
  private final DemoOptions options;
  private final AccessPolicy policy;
  private final WorkloadIdentity identity;
  private final OkHttpClient http = new OkHttpClient();

  AzureDemo(AzuriteServer azurite, DemoOptions options, AccessPolicy policy, WorkloadIdentity identity) {
    this.azurite = azurite;
    this.options = options;
    this.policy = policy;
    this.identity = identity;
  }

  void run(AuditSink audit, DemoStats stats) throws InterruptedException {
    SharedKey accountKey = SharedKey.of(azurite.accountName(), SecretValue.of(azurite.primaryKey()));
    setUpContainers(accountKey);
    SasScope scope = policy.toSasScope(identity,
        Resource.azure(azurite.accountName(), DemoWorkload.CONTAINER, ""));
    AuditStamper stamper = AuditStamper.system();
    try (CredentialCache<SasToken> sas = CredentialCache.builder(broker(accountKey, scope))
            .listener(AuditCredentialListener.create(identity, audit, stamper))
            .build();
        StorageClient storage = client(policy, backend(sas), audit);
        StorageClient unrestricted = client(
            DemoPolicies.readEverything(identity.name(), "azure://" + azurite.accountName() + "/" + FINANCE + "/**"), backend(sas), audit)) {
      DemoWorkload workload = new DemoWorkload("Azure", storage, unrestricted, options.duration(),
          ObjectRef.of(FINANCE, "q4.csv"), ObjectRef.of(FINANCE, "salaries.csv"));
      stats.mismatches.add(workload.run(stats));
    }
  }

  /** Creates the containers and the object the workload must not read, with the account key. */
  private void setUpContainers(SharedKey accountKey) {
    try (StorageBackend admin = BlobBackend.builder()
        .endpoint(azurite.blobEndpoint())
        .sharedKey(accountKey)
        .httpClient(http)
        .allowPlainHttpOnLoopback()
        .build()) {
      AzuriteContainers.create(azurite, accountKey, DemoWorkload.CONTAINER, FINANCE);
      admin.put(ObjectRef.of(FINANCE, "salaries.csv"),
          ObjectBody.ofBytes("name,salary\n".getBytes(StandardCharsets.UTF_8)), "text/csv", ExchangeListener.NONE);
    }
  }

  /**
   * A token broker: mints a container SAS with the permissions the policy grants the identity. In
   * production this runs in a service that has the account key or a user delegation key, never in
   * the workload.
   */
  private CredentialProvider<SasToken> broker(SharedKey accountKey, SasScope scope) {
    return new CredentialProvider<>() {
      @Override
      public SasToken fetch() {
        return BlobSas.builder()
            .container(scope.container())
            .permissions(scope.permissions())
            .lifetime(options.credentialLifetime())
            .protocol(SasProtocol.HTTPS_AND_HTTP)
            .build()
            .sign(accountKey);
      }

      @Override
      public String name() {
        return "demo-sas-broker";
      }
    };
  }

  private StorageBackend backend(CredentialCache<SasToken> sas) {
    return BlobBackend.builder()
        .endpoint(azurite.blobEndpoint())
        .accountName(azurite.accountName())
        .sasToken(sas)
        .httpClient(http)
        .allowPlainHttpOnLoopback()
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
}
