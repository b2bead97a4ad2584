package dev.latchkey.s3.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.WorkloadIdentity;
import dev.latchkey.policy.AccessPolicy;
import dev.latchkey.policy.AwsSessionPolicy;
import dev.latchkey.s3.S3Backend;
import dev.latchkey.s3.credentials.AssumeRoleCredentialsProvider;
import dev.latchkey.storage.ExchangeListener;
import dev.latchkey.storage.ListPage;
import dev.latchkey.storage.ListRequest;
import dev.latchkey.storage.ObjectBody;
import dev.latchkey.storage.ObjectContent;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.storage.StorageException;
import dev.latchkey.testkit.FakeClock;
import dev.latchkey.testkit.S3ProxyServer;
import dev.latchkey.testkit.TestSts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compiles an access policy into an AWS session policy, assumes a role with it at the test STS, and
 * shows that S3Proxy, through the STS's locator, serves what the policy allows and returns 403 for
 * what it does not.
 */
class SessionPolicyS3ProxyTest {

  private static final String ROOT_ID = "AKIDPOLICYROOT";
  private static final String ROOT_SECRET = "policy-root-secret-access-key";
  private static final WorkloadIdentity EXPORTER =
      new WorkloadIdentity("billing-exporter", Map.of("env", "prod"));

  private static final String POLICY = """
      {
        "version": 1,
        "roles": [
          {"name": "reports", "rules": [
            {"id": "read-2026", "effect": "ALLOW", "actions": ["READ", "LIST"],
             "resources": ["s3://reports/2026/**", "s3://reports/報告/**"]},
            {"id": "write-drafts", "effect": "ALLOW", "actions": ["READ", "WRITE"],
             "resources": ["s3://reports/drafts/**"],
             "conditions": [{"attribute": "identity.env", "equals": ["prod"]}]},
            {"id": "delete-one", "effect": "ALLOW", "actions": ["DELETE"],
             "resources": ["s3://reports/tmp/stale 100%.csv"]},
            {"id": "no-secrets", "effect": "DENY", "actions": ["READ"],
             "resources": ["s3://reports/secret/**"]}
          ]}
        ],
        "bindings": [
          {"id": "exporter", "identities": ["billing-exporter"], "roles": ["reports"]}
        ]
      }
      """;

  private static final FakeClock CLOCK = FakeClock.at(Instant.now());
  private static TestSts sts;
  private static S3ProxyServer s3;
  private static S3Backend admin;
  private static S3Backend scoped;
  private static AwsSessionPolicy sessionPolicy;

  @BeforeAll
  static void startServers() {
    BlobStore store = S3ProxyServer.newTransientBlobStore();
    sts = TestSts.builder().clock(CLOCK).rootKey(ROOT_ID, ROOT_SECRET).start();
    s3 = S3ProxyServer.builder().blobStore(store).blobStoreLocator(sts.blobStoreLocator(store))
        .ignoreUnknownHeaders(true).start();
    AwsCredentials root = AwsCredentials.of(ROOT_ID, SecretValue.of(ROOT_SECRET));
    admin = backend(() -> root);
    sessionPolicy = AccessPolicy.fromJson(POLICY).toAwsSessionPolicy(EXPORTER);
    scoped = backend(AssumeRoleCredentialsProvider.builder()
        .baseCredentials(() -> root)
        .roleArn("arn:aws:iam::123456789012:role/reports")
        .policy(sessionPolicy.json())
        .endpoint(sts.endpoint())
        .clock(CLOCK)
        .build());

    s3.createBucket("reports");
    for (String key : new String[] {"2026/q1.csv", "2025/old.csv", "報告/一月.csv",
        "tmp/stale 100%.csv", "tmp/other.csv", "secret/k.txt"}) {
      admin.put(ObjectRef.of("reports", key), body("content of " + key), "text/plain",
          ExchangeListener.NONE);
    }
  }

  @AfterAll
  static void stopServers() {
    for (AutoCloseable server : new AutoCloseable[] {scoped, admin, s3, sts}) {
      closeQuietly(server);
    }
  }

  @Test
  void sessionPolicyNamesAllowedResources() {
    assertThat(sessionPolicy.json()).doesNotContain(" \n")
        .contains("\"arn:aws:s3:::reports/2026/*\"", "\"arn:aws:s3:::reports/drafts/*\"",
            "arn:aws:s3:::reports/\\u5831\\u544A/*", "\"s3:prefix\"")
        .doesNotContain("secret");
    assertThat(sts.issued()).anySatisfy(issued -> assertThat(issued.policy()).isPresent());
  }

  @Test
  void readsAllowedPrefixesOnly() throws IOException {
    assertThat(read(scoped, "2026/q1.csv")).isEqualTo("content of 2026/q1.csv");
    assertThat(read(scoped, "報告/一月.csv")).isEqualTo("content of 報告/一月.csv");

    assertThat(status(() -> read(scoped, "2025/old.csv"))).isEqualTo(403);
    assertThat(status(() -> read(scoped, "tmp/other.csv"))).isEqualTo(403);
    assertThat(status(() -> read(scoped, "secret/k.txt"))).isEqualTo(403);
  }

  @Test
  void writesOnlyUnderDrafts() throws IOException {
    scoped.put(ref("drafts/new.txt"), body("draft"), "text/plain", ExchangeListener.NONE);

    assertThat(read(scoped, "drafts/new.txt")).isEqualTo("draft");
    assertThat(status(() -> scoped.put(ref("2026/q1.csv"), body("overwrite"), "text/plain",
        ExchangeListener.NONE))).isEqualTo(403);
    assertThat(read(admin, "2026/q1.csv")).isEqualTo("content of 2026/q1.csv");
    assertThat(status(() -> scoped.delete(ref("drafts/new.txt"), ExchangeListener.NONE)))
        .isEqualTo(403);
  }

  @Test
  void deletesOnlyTheLiteralKey() {
    assertThat(status(() -> scoped.delete(ref("tmp/other.csv"), ExchangeListener.NONE)))
        .isEqualTo(403);
    assertThat(s3.objectExists("reports", "tmp/other.csv")).isTrue();

    scoped.delete(ref("tmp/stale 100%.csv"), ExchangeListener.NONE);

    assertThat(s3.objectExists("reports", "tmp/stale 100%.csv")).isFalse();
  }

  @Test
  void listsOnlyAllowedPrefixes() {
    ListPage page = scoped.list(ListRequest.of("reports", "2026/"), ExchangeListener.NONE);

    assertThat(page.objects()).extracting(ListPage.ObjectSummary::key).containsExactly("2026/q1.csv");
    assertThat(status(() -> scoped.list(ListRequest.of("reports", ""), ExchangeListener.NONE)))
        .isEqualTo(403);
    assertThat(status(() -> scoped.list(ListRequest.of("reports", "2025/"), ExchangeListener.NONE)))
        .isEqualTo(403);
  }

  private static S3Backend backend(dev.latchkey.credentials.CredentialProvider<AwsCredentials> keys) {
    return S3Backend.builder().endpoint(s3.endpoint()).region("us-east-1").credentials(keys)
        .clock(CLOCK).build();
  }

  private static String read(S3Backend backend, String key) throws IOException {
    try (ObjectContent content = backend.get(ref(key), null, ExchangeListener.NONE)) {
      return new String(content.stream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static int status(ThrowingCall call) {
    StorageException error = catchThrowableOfType(StorageException.class, call::run);
    assertThat(error).as("StorageException").isNotNull();
    return error.statusCode();
  }

  private static ObjectRef ref(String key) {
    return ObjectRef.of("reports", key);
  }

  private static ObjectBody body(String text) {
    return ObjectBody.ofBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      throw new IllegalStateException("Failed to stop " + closeable, e);
    }
  }

  /** A call that is expected to fail with a {@link StorageException}. */
  @FunctionalInterface
  private interface ThrowingCall {
    void run() throws Exception;
  }
}
