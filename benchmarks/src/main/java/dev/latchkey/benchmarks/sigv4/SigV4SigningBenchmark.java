package dev.latchkey.benchmarks.sigv4;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.s3.PresignedUrl;
import dev.latchkey.s3.SigV4Signer;
import dev.latchkey.signing.SignableRequest;
import io.minio.Signer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * SigV4 signing of a typical S3 GET, as a header signature and as a presigned URL, by Latchkey, the
 * AWS SDK v2 {@code AwsV4HttpSigner} and MinIO's {@code Signer}, on identical inputs: the same
 * method, URL, headers, credentials, time and region. {@link #setUp} checks that all three write the
 * same {@code Authorization} value, and presigned URLs with the same query parameters, before
 * anything is timed.
 *
 * <p>{@link #floor} is the cryptographic minimum of one header signature: one SHA-256 of the
 * canonical request and one HMAC-SHA256 of the string to sign, with the derived signing key already
 * in an initialized {@link Mac}. Setup checks that it computes the same signature as the libraries.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SigV4SigningBenchmark {

  private static final String HOST = "examplebucket.s3.us-east-1.amazonaws.com";
  private static final String PATH = "/reports/2026/q1-summary.csv";
  private static final String REGION = "us-east-1";
  private static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
  private static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final Instant TIME = Instant.parse("2026-03-01T10:00:00Z");
  private static final Duration EXPIRY = Duration.ofHours(1);

  private SigV4Signer latchkey;
  private AwsCredentials latchkeyCredentials;
  private SignableRequest latchkeyRequest;
  private SignableRequest latchkeyPresignRequest;

  private AwsV4HttpSigner aws;
  private AwsCredentialsIdentity awsCredentials;
  private SdkHttpRequest awsRequest;
  private Clock awsClock;

  private Request minioRequest;

  private MessageDigest floorDigest;
  private Mac floorMac;
  private byte[] floorCanonicalRequest;
  private byte[] floorStringToSign;

  @Setup
  public void setUp() throws GeneralSecurityException {
    latchkey = SigV4Signer.forS3(REGION);
    latchkeyCredentials = AwsCredentials.of(ACCESS_KEY, SecretValue.of(SECRET_KEY));
    latchkeyRequest = SignableRequest.builder("GET", URI.create("https://" + HOST + PATH))
        .addHeader("x-amz-content-sha256", EMPTY_SHA256)
        .build();
    // A presigned URL signs only the host, as the AWS SDK and MinIO presign it.
    latchkeyPresignRequest = SignableRequest.builder("GET", URI.create("https://" + HOST + PATH)).build();

    aws = AwsV4HttpSigner.create();
    awsCredentials = AwsCredentialsIdentity.create(ACCESS_KEY, SECRET_KEY);
    awsRequest = SdkHttpRequest.builder().method(SdkHttpMethod.GET).protocol("https").host(HOST)
        .encodedPath(PATH).putHeader("x-amz-content-sha256", EMPTY_SHA256).build();
    awsClock = Clock.fixed(TIME, ZoneOffset.UTC);

    minioRequest = new Request.Builder().url(HttpUrl.get("https://" + HOST + PATH))
        .header("Host", HOST)
        .header("x-amz-content-sha256", EMPTY_SHA256)
        .header("x-amz-date", "20260301T100000Z")
        .get().build();

    setUpFloor();
    checkSameSignatures();
  }

  /**
   * Checks that the three libraries sign the same request the same way, so the benchmark compares
   * equal work: the same {@code Authorization} value, the floor's signature in it, and presigned URLs
   * whose query parameters are the same (the libraries write them in different orders).
   *
   * @throws IllegalStateException if any output differs
   */
  private void checkSameSignatures() {
    String latchkeyAuthorization = latchkeyHeader().firstHeader("Authorization").orElseThrow();
    String awsAuthorization = awsSdkHeader().request().firstMatchingHeader("Authorization").orElseThrow();
    String minioAuthorization = minioHeaderUnchecked().header("Authorization");
    requireEqual("Authorization (AWS SDK)", latchkeyAuthorization, awsAuthorization);
    requireEqual("Authorization (MinIO)", latchkeyAuthorization, minioAuthorization);
    String floorSignature = HexFormat.of().formatHex(floor());
    requireEqual("floor signature", latchkeyAuthorization.substring(latchkeyAuthorization.length() - 64),
        floorSignature);

    List<String> latchkeyQuery = sortedQuery(latchkeyPresign().url());
    requireEqual("presigned query (AWS SDK)", latchkeyQuery, sortedQuery(awsSdkPresign().request().getUri().toString()));
    requireEqual("presigned query (MinIO)", latchkeyQuery, sortedQuery(minioPresignUnchecked().toString()));
  }

  private static List<String> sortedQuery(String url) {
    String[] parameters = URI.create(url).getRawQuery().split("&");
    Arrays.sort(parameters);
    return List.of(parameters);
  }

  private static void requireEqual(String what, Object latchkey, Object other) {
    if (!latchkey.equals(other)) {
      throw new IllegalStateException("The libraries sign different inputs: " + what + " is " + other
          + " but Latchkey's is " + latchkey);
    }
  }

  private Request minioHeaderUnchecked() {
    try {
      return minioHeader();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("MinIO failed to sign the benchmark request", e);
    }
  }

  private HttpUrl minioPresignUnchecked() {
    try {
      return minioPresign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("MinIO failed to presign the benchmark request", e);
    }
  }

  private void setUpFloor() throws GeneralSecurityException {
    String canonical = "GET\n" + PATH + "\n\nhost:" + HOST + "\nx-amz-content-sha256:" + EMPTY_SHA256
        + "\nx-amz-date:20260301T100000Z\n\nhost;x-amz-content-sha256;x-amz-date\n" + EMPTY_SHA256;
    floorCanonicalRequest = canonical.getBytes(StandardCharsets.UTF_8);
    floorDigest = MessageDigest.getInstance("SHA-256");
    String hash = HexFormat.of().formatHex(floorDigest.digest(floorCanonicalRequest));
    floorStringToSign = ("AWS4-HMAC-SHA256\n20260301T100000Z\n20260301/us-east-1/s3/aws4_request\n" + hash)
        .getBytes(StandardCharsets.UTF_8);
    byte[] key = hmac(("AWS4" + SECRET_KEY).getBytes(StandardCharsets.UTF_8), "20260301");
    key = hmac(hmac(hmac(key, REGION), "s3"), "aws4_request");
    floorMac = Mac.getInstance("HmacSHA256");
    floorMac.init(new SecretKeySpec(key, "HmacSHA256"));
  }

  private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  @Benchmark
  public SignableRequest latchkeyHeader() {
    return latchkey.sign(latchkeyRequest, latchkeyCredentials, TIME);
  }

  @Benchmark
  public PresignedUrl latchkeyPresign() {
    return latchkey.presign(latchkeyPresignRequest, latchkeyCredentials, TIME, EXPIRY);
  }

  @Benchmark
  public SignedRequest awsSdkHeader() {
    return aws.sign(awsSignRequest(false));
  }

  @Benchmark
  public SignedRequest awsSdkPresign() {
    return aws.sign(awsSignRequest(true));
  }

  private SignRequest<AwsCredentialsIdentity> awsSignRequest(boolean presign) {
    SignRequest.Builder<AwsCredentialsIdentity> request = SignRequest.builder(awsCredentials)
        .request(awsRequest)
        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
        .putProperty(AwsV4HttpSigner.REGION_NAME, REGION)
        .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
        .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
        .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, !presign)
        .putProperty(HttpSigner.SIGNING_CLOCK, awsClock);
    if (presign) {
      request.putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
          .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, EXPIRY);
    }
    return request.build();
  }

  @Benchmark
  public Request minioHeader() throws GeneralSecurityException {
    return Signer.signV4S3(minioRequest, REGION, ACCESS_KEY, SECRET_KEY, EMPTY_SHA256);
  }

  @Benchmark
  public HttpUrl minioPresign() throws GeneralSecurityException {
    return Signer.presignV4(minioRequest, REGION, ACCESS_KEY, SECRET_KEY, (int) EXPIRY.getSeconds());
  }

  @Benchmark
  public byte[] floor() {
    floorDigest.update(floorCanonicalRequest);
    floorDigest.digest();
    return floorMac.doFinal(floorStringToSign);
  }
}
