package dev.latchkey.s3.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialUnavailableException;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.s3.credentials.AssumeRoleCredentialsProvider;
import dev.latchkey.testkit.FakeClock;
import dev.latchkey.testkit.S3ProxyServer;
import dev.latchkey.testkit.TestSts;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

class LatchkeyCredentialsProviderTest {

  private static final String ROOT_ID = "AKIDROOTEXAMPLE";
  private static final String ROOT_SECRET = "root-secret-access-key";

  @Test
  void s3ClientUsesRotatingCacheKeys() {
    FakeClock clock = FakeClock.at(Instant.now());
    BlobStore store = S3ProxyServer.newTransientBlobStore();
    try (TestSts sts = TestSts.builder().clock(clock).defaultLifetime(Duration.ofMinutes(20))
            .rootKey(ROOT_ID, ROOT_SECRET).start();
        S3ProxyServer s3 = S3ProxyServer.builder().blobStore(store).blobStoreLocator(sts.blobStoreLocator(store))
            .ignoreUnknownHeaders(true).start();
        CredentialCache<AwsCredentials> keys = CredentialCache.builder(AssumeRoleCredentialsProvider.builder()
                .baseCredentials(() -> AwsCredentials.of(ROOT_ID, SecretValue.of(ROOT_SECRET)))
                .roleArn("arn:aws:iam::123456789012:role/sdk-user")
                .endpoint(sts.endpoint())
                .build())
            .clock(clock)
            .build();
        S3Client client = S3Client.builder()
            .endpointOverride(URI.create(s3.endpoint().toString()))
            .forcePathStyle(true)
            .region(Region.US_EAST_1)
            .credentialsProvider(LatchkeyCredentialsProvider.create(keys))
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .build()) {
      s3.createBucket("reports");
      Set<String> keysUsed = new HashSet<>();

      for (int round = 0; round < 3; round++) {
        String key = "sdk/round-" + round + ".txt";
        client.putObject(request -> request.bucket("reports").key(key), RequestBody.fromString("round " + round));
        assertThat(client.getObjectAsBytes(request -> request.bucket("reports").key(key)).asUtf8String())
            .isEqualTo("round " + round);
        keysUsed.add(keys.current().accessKeyId());
        // Past the stale time, so the next request waits for a new key; the old one expires soon after.
        clock.advance(Duration.ofMinutes(20).minusSeconds(30));
      }

      assertThat(keysUsed).hasSize(3);
      assertThat(sts.expiredKeyUses()).isEmpty();
    }
  }

  @Test
  void convertsSessionAndStaticCredentials() {
    Instant expiry = Instant.parse("2026-05-01T00:00:00Z");
    AwsCredentials temporary = AwsCredentials.builder().accessKeyId("ASIATEMP")
        .secretAccessKey(SecretValue.of("temp-secret")).sessionToken(SecretValue.of("temp-token"))
        .expiresAt(expiry).build();

    AwsCredentialsIdentity session = LatchkeyCredentialsProvider.create(fixed(temporary)).resolveCredentials();
    AwsCredentialsIdentity basic = LatchkeyCredentialsProvider.create(
        fixed(AwsCredentials.of("AKIDSTATIC", SecretValue.of("static-secret")))).resolveCredentials();

    assertThat(session).isInstanceOf(AwsSessionCredentialsIdentity.class);
    assertThat(((AwsSessionCredentials) session).sessionToken()).isEqualTo("temp-token");
    assertThat(session.expirationTime()).contains(expiry);
    assertThat(session.secretAccessKey()).isEqualTo("temp-secret");
    assertThat(basic).isNotInstanceOf(AwsSessionCredentialsIdentity.class);
    assertThat(basic.accessKeyId()).isEqualTo("AKIDSTATIC");
  }

  @Test
  void wrapsCacheFailureInSdkException() {
    CredentialUnavailableException failure = new CredentialUnavailableException("STS is down", null, true);
    LatchkeyCredentialsProvider provider = LatchkeyCredentialsProvider.create(new FailingCache(failure));

    assertThatThrownBy(provider::resolveCredentials)
        .isInstanceOf(SdkClientException.class)
        .hasMessageContaining("STS is down")
        .hasCause(failure);
  }

  private static CredentialCache<AwsCredentials> fixed(AwsCredentials credentials) {
    return CredentialCache.builder(() -> credentials).clock(FakeClock.at(Instant.parse("2026-04-01T00:00:00Z"))).build();
  }

  /** A cache whose every call fails, to show the exception the SDK receives. */
  private record FailingCache(CredentialException failure) implements CredentialCache<AwsCredentials> {
    @Override
    public AwsCredentials current() {
      throw failure;
    }

    @Override
    public void invalidate(AwsCredentials credential) {}

    @Override
    public void close() {}
  }
}
