package dev.latchkey.benchmarks.client;

import dev.latchkey.audit.AuditSink;
import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.WorkloadIdentity;
import dev.latchkey.s3.S3Backend;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.storage.StorageClient;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The client-side work of {@link StorageGetBenchmark} without a network or a server: both the
 * storage client and the bare OkHttp call go through an OkHttp application interceptor that returns
 * the response S3Proxy 4.1.0 sends for the 1 KiB object (same headers, 1,024 zero bytes). The
 * difference between the two is what Latchkey adds per {@code get}: URL building, policy, credential
 * cache, SigV4 signing, response metadata parsing and the exchange report, with audit to a no-op
 * sink. The loopback benchmark's difference is this plus any difference in server or kernel time.
 *
 * <p>{@code latchkeyStorageClientOtherKeys} reads another of 16 keys on each call. A repeated get
 * of one object reuses its request and, within one second of the signing clock, its signature, so
 * this method measures the path that builds and signs each request.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StorageGetOverheadBenchmark {

  /** An endpoint that is never connected to, because the interceptor returns a canned response to every call. */
  private static final URI ENDPOINT = URI.create("http://127.0.0.1:9");
  private static final byte[] OBJECT = new byte[1024];
  private static final Headers S3PROXY_HEADERS = Headers.of(
      "Date", "Fri, 04 Dec 2026 22:54:46 GMT",
      "x-amz-request-id", "9D69240591DBA60C",
      "Content-Type", "application/octet-stream",
      "ETag", "\"0f343b0931126a20f133d67c2b018a3b\"",
      "Last-Modified", "Fri, 04 Dec 2026 22:54:46 GMT",
      "x-amz-storage-class", "STANDARD",
      "x-amz-server-side-encryption", "AES256",
      "Content-Length", "1024");

  private static final String[] OTHER_KEYS = otherKeys(16);

  private CredentialCache<AwsCredentials> keys;
  private int nextKey;
  private StorageClient latchkey;
  private OkHttpClient okhttp;
  private OkHttpClient bareHttp;
  private Request presignedRequest;

  @Setup(Level.Trial)
  public void start() {
    okhttp = new OkHttpClient.Builder()
        .addInterceptor(chain -> cannedResponse(chain.request()))
        .build();
    keys = CredentialCache.builder(
        () -> AwsCredentials.of(StorageGetBenchmark.ACCESS_KEY_ID, SecretValue.of(StorageGetBenchmark.SECRET))).build();
    latchkey = StorageClient.builder()
        .identity(WorkloadIdentity.of("benchmark"))
        .policy(StorageGetBenchmark.readPolicy())
        .backend(S3Backend.factory())
        .endpoint(ENDPOINT)
        .region("us-east-1")
        .credentials(keys)
        .httpClient(okhttp)
        .auditSink(AuditSink.NONE)
        .build();
    bareHttp = StorageGetBenchmark.configuredLikeClient(okhttp);
    presignedRequest = StorageGetBenchmark.signOnce(ENDPOINT);
  }

  @TearDown(Level.Trial)
  public void stop() {
    latchkey.close();
    keys.close();
  }

  @Benchmark
  public byte[] latchkeyStorageClient() {
    return latchkey.getBytes(ObjectRef.of(StorageGetBenchmark.BUCKET, StorageGetBenchmark.KEY));
  }

  @Benchmark
  public byte[] latchkeyStorageClientOtherKeys() {
    String key = OTHER_KEYS[nextKey];
    nextKey = (nextKey + 1) % OTHER_KEYS.length;
    return latchkey.getBytes(ObjectRef.of(StorageGetBenchmark.BUCKET, key));
  }

  @Benchmark
  public byte[] bareOkHttpPrecomputedSignature() throws IOException {
    return StorageGetBenchmark.execute(bareHttp, presignedRequest);
  }

  private static String[] otherKeys(int count) {
    String[] keys = new String[count];
    for (int i = 0; i < count; i++) {
      keys[i] = StorageGetBenchmark.KEY + "." + i;
    }
    return keys;
  }

  private static Response cannedResponse(Request request) {
    return new Response.Builder()
        .request(request)
        .protocol(Protocol.HTTP_1_1)
        .code(200)
        .message("OK")
        .headers(S3PROXY_HEADERS)
        .body(ResponseBody.create(OBJECT, MediaType.get("application/octet-stream")))
        .build();
  }

}
