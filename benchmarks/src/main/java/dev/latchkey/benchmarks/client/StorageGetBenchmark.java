package dev.latchkey.benchmarks.client;

import dev.latchkey.audit.AuditSink;
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
import dev.latchkey.s3.SigV4Signer;
import dev.latchkey.signing.SignableRequest;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.storage.StorageClient;
import dev.latchkey.storage.StorageClientBuilder;
import dev.latchkey.testkit.S3ProxyServer;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * A full {@code get} of a 1 KiB object from S3Proxy on loopback, three ways: through Latchkey's
 * {@link StorageClient} (policy, credential cache, SigV4, OkHttp, audit to a no-op sink); a bare
 * OkHttp call whose SigV4 headers were computed once in setup (the floor: no signing, no policy); and
 * the AWS SDK v2 {@link S3Client}. All three read the same object from the same server.
 *
 * <p>The bare call sends the same request as the client, with the same headers in the same order,
 * because it is signed by {@link SigV4Signer#forS3} as the client's backend signs. Both use one
 * OkHttp connection pool. The bare call fails on any status but 200, so an expired signature cannot
 * pass for a fast call.
 *
 * <p>By default S3Proxy runs inside the benchmark's JVM. With the system property
 * {@value #ENDPOINT_PROPERTY} set to the endpoint that {@link StandaloneS3Proxy} prints, the
 * benchmark uses that server in its own process instead, which can be pinned to another core.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StorageGetBenchmark {

  static final String ACCESS_KEY_ID = "AKIDBENCHMARK";
  static final String SECRET = "benchmark-secret-access-key";
  static final String BUCKET = "bench";
  static final String KEY = "objects/1kib.bin";

  /** The system property that names an S3Proxy endpoint started by {@link StandaloneS3Proxy}. */
  static final String ENDPOINT_PROPERTY = "latchkey.benchmark.s3proxy";

  private S3ProxyServer server;
  private CredentialCache<AwsCredentials> keys;
  private StorageClient latchkey;
  private OkHttpClient okhttp;
  private OkHttpClient bareHttp;
  private Request presignedRequest;
  private S3Client awsSdk;

  @Setup(Level.Trial)
  public void start() throws IOException {
    String external = System.getProperty(ENDPOINT_PROPERTY);
    server = external == null ? startServer() : null;
    URI endpoint = external == null ? server.endpoint() : URI.create(external);
    okhttp = new OkHttpClient();
    keys = CredentialCache.builder(() -> AwsCredentials.of(ACCESS_KEY_ID, SecretValue.of(SECRET))).build();
    latchkey = StorageClient.builder()
        .identity(WorkloadIdentity.of("benchmark"))
        .policy(readPolicy())
        .backend(S3Backend.factory())
        .endpoint(endpoint)
        .region("us-east-1")
        .credentials(keys)
        .httpClient(okhttp)
        .auditSink(AuditSink.NONE)
        .build();
    latchkey.put(ObjectRef.of(BUCKET, KEY), new byte[1024], "application/octet-stream");
    bareHttp = configuredLikeClient(okhttp);
    presignedRequest = signOnce(endpoint);
    awsSdk = S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET)))
        .build();
  }

  @TearDown(Level.Trial)
  public void stop() {
    awsSdk.close();
    latchkey.close();
    keys.close();
    if (server != null) {
      server.close();
    }
  }

  /** Starts S3Proxy on loopback with the benchmark's key and bucket. */
  static S3ProxyServer startServer() {
    S3ProxyServer started = S3ProxyServer.builder().identity(ACCESS_KEY_ID).credential(SECRET).start();
    started.createBucket(BUCKET);
    return started;
  }

  @Benchmark
  public byte[] latchkeyStorageClient() {
    return latchkey.getBytes(ObjectRef.of(BUCKET, KEY));
  }

  @Benchmark
  public byte[] bareOkHttpPrecomputedSignature() throws IOException {
    return execute(bareHttp, presignedRequest);
  }

  @Benchmark
  public byte[] awsSdkS3Client() {
    ResponseBytes<GetObjectResponse> bytes = awsSdk.getObjectAsBytes(request -> request.bucket(BUCKET).key(KEY));
    return bytes.asByteArray();
  }

  /**
   * Returns a client derived from {@code okhttp} as the storage client derives its own: the default
   * timeouts of {@link StorageClientBuilder} and no redirects. It shares the connection pool and the
   * dispatcher, so both paths use the same connection.
   */
  static OkHttpClient configuredLikeClient(OkHttpClient okhttp) {
    return okhttp.newBuilder()
        .connectTimeout(StorageClientBuilder.DEFAULT_CONNECT_TIMEOUT)
        .readTimeout(StorageClientBuilder.DEFAULT_READ_TIMEOUT)
        .writeTimeout(StorageClientBuilder.DEFAULT_READ_TIMEOUT)
        .followRedirects(false)
        .followSslRedirects(false)
        .build();
  }

  /** Sends {@code request} and returns the response body; fails on any status but 200. */
  static byte[] execute(OkHttpClient okhttp, Request request) throws IOException {
    try (Response response = okhttp.newCall(request).execute()) {
      if (response.code() != 200) {
        throw new IOException("Bare GET failed with HTTP " + response.code() + "; a signature expires after 15 minutes");
      }
      return response.body().bytes();
    }
  }

  /**
   * Signs the client's GET of the benchmark object with SigV4 now, with the signer the S3 backend
   * uses. S3Proxy accepts the signature for 15 minutes, longer than a trial.
   */
  static Request signOnce(URI endpoint) {
    URI uri = URI.create(endpoint + "/" + BUCKET + "/" + KEY);
    SignableRequest signed = SigV4Signer.forS3("us-east-1").sign(SignableRequest.builder("GET", uri).build(),
        AwsCredentials.of(ACCESS_KEY_ID, SecretValue.of(SECRET)), Instant.now());
    Request.Builder request = new Request.Builder().url(signed.uri().toString());
    signed.headers().forEach(header -> request.addHeader(header.name(), header.value()));
    return request.build();
  }

  static AccessPolicy readPolicy() {
    return AccessPolicy.builder()
        .role(Role.builder().name("reader").rule(Rule.allow("read").actions(Action.READ, Action.WRITE).resources("s3://bench/**")).build())
        .binding(Binding.builder().id("benchmark").identities("benchmark").roles("reader").build())
        .build();
  }
}
