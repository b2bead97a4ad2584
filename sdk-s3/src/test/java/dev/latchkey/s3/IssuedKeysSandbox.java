package dev.latchkey.s3;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.providers.StaticCredentialProvider;
import dev.latchkey.s3.credentials.AssumeRoleCredentialsProvider;
import dev.latchkey.testkit.FakeClock;
import dev.latchkey.testkit.S3ProxyServer;
import dev.latchkey.testkit.TestSts;
import java.time.Duration;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * A test STS and an S3Proxy that accepts only unexpired keys issued by that STS, both on the fake
 * clock. It also creates one bucket and a cache of assumed-role keys that refreshes on the caller's
 * thread. Tests that move the clock past a key's lifetime use it to check which keys were sent.
 */
final class IssuedKeysSandbox implements AutoCloseable {

  static final String ROOT_SECRET = "root-secret";

  final TestSts sts;
  final S3ProxyServer s3;
  final CredentialCache<AwsCredentials> keys;

  IssuedKeysSandbox(FakeClock clock, Duration keyLifetime, String rootKeyId, String sessionName, String bucket) {
    sts = TestSts.builder().clock(clock).defaultLifetime(keyLifetime).rootKey(rootKeyId, ROOT_SECRET).start();
    BlobStore store = S3ProxyServer.newTransientBlobStore();
    s3 = S3ProxyServer.builder().blobStore(store).blobStoreLocator(sts.blobStoreLocator(store))
        .ignoreUnknownHeaders(true).start();
    s3.createBucket(bucket);
    keys = CredentialCache.builder(AssumeRoleCredentialsProvider.builder()
            .baseCredentials(StaticCredentialProvider.of(AwsCredentials.of(rootKeyId, SecretValue.of(ROOT_SECRET))))
            .roleArn("arn:aws:iam::123456789012:role/report-writer")
            .roleSessionName(sessionName)
            .endpoint(sts.endpoint())
            .clock(clock)
            .build())
        .clock(clock)
        .fetchExecutor(Runnable::run)
        .build();
  }

  @Override
  public void close() {
    keys.close();
    s3.close();
    sts.close();
  }
}
