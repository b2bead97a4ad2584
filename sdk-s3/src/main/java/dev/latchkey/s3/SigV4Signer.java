package dev.latchkey.s3;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.s3.internal.SigV4Engine;
import dev.latchkey.signing.RequestSigner;
import dev.latchkey.signing.SignableRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * AWS Signature Version 4: signs requests with an {@code Authorization} header, presigns URLs, and
 * starts {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD} chunked uploads.
 *
 * <p>The request's URI is signed exactly as it will be sent. Under the {@linkplain UriRules#S3 S3
 * rules} the path is neither normalized nor encoded again, so it must already be percent-encoded
 * (as {@link S3Backend} does); under the {@linkplain UriRules#STANDARD rules of other services}
 * dot segments and repeated slashes are removed from the canonical path and the path is encoded a
 * second time. Query parameters are decoded and encoded again, and sorted by encoded name and then
 * value. Header values are trimmed, inner runs of white space become one space, and repeated
 * headers are joined with commas.
 *
 * <p>The payload hash is the {@code x-amz-content-sha256} header when the request carries one (for
 * example {@code UNSIGNED-PAYLOAD}); otherwise the SHA-256 of the body held in memory, or of the
 * empty body. Temporary credentials add {@code X-Amz-Security-Token}, covered by the signature
 * unless {@link Builder#signSessionToken(boolean)} turns that off.
 *
 * <p>Signing keys are derived once per credential and date and cached (see {@code
 * SigningKeyCache}); the cache holds credentials weakly and never uses a secret as a key.
 *
 * <p>Immutable and thread-safe.
 */
public final class SigV4Signer implements RequestSigner<AwsCredentials> {

  /** The shortest presigned URL expiry: 1 second. */
  public static final Duration MIN_PRESIGN_EXPIRY = Duration.ofSeconds(1);

  /** The longest presigned URL expiry SigV4 allows: 7 days. */
  public static final Duration MAX_PRESIGN_EXPIRY = Duration.ofDays(7);

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

  /** The rules that turn a request's URI path into the canonical path. */
  public enum UriRules {
    /** S3: the path as sent, encoded once, never normalized. */
    S3,
    /** Every other AWS service: dot segments and repeated slashes removed, then encoded again. */
    STANDARD
  }

  private final String region;
  private final String service;
  private final UriRules uriRules;
  private final boolean contentSha256Header;
  private final boolean signSessionToken;
  private final SigV4Engine engine;

  private SigV4Signer(Builder builder) {
    this.region = builder.region;
    this.service = builder.service;
    this.uriRules = builder.uriRules != null ? builder.uriRules : defaultRules(service);
    this.contentSha256Header =
        builder.contentSha256Header != null ? builder.contentSha256Header : uriRules == UriRules.S3;
    this.signSessionToken = builder.signSessionToken;
    boolean s3Rules = uriRules == UriRules.S3;
    boolean s3Service = defaultRules(service) == UriRules.S3;
    this.engine = new SigV4Engine(
        region, service, !s3Rules, !s3Rules, contentSha256Header, signSessionToken, s3Service);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Returns a signer for S3 in {@code region}, with the S3 rules. */
  public static SigV4Signer forS3(String region) {
    return builder().region(region).service("s3").build();
  }

  public String region() {
    return region;
  }

  public String service() {
    return service;
  }

  public UriRules uriRules() {
    return uriRules;
  }

  /**
   * Returns {@code request} with {@code X-Amz-Date}, {@code Authorization} and, as configured, {@code
   * x-amz-content-sha256} and {@code X-Amz-Security-Token} headers. Headers a previous signature added
   * are replaced, so a request can be signed again for a retry.
   *
   * @throws IllegalArgumentException if the path contains text that cannot be encoded as UTF-8
   */
  @Override
  public SignableRequest sign(SignableRequest request, AwsCredentials credentials, Instant signingTime) {
    requireInputs(request, credentials, signingTime);
    return engine.signHeaders(request, credentials, signingTime, null);
  }

  /**
   * Presigns {@code request}: returns its URI without the fragment, with the SigV4 parameters and
   * {@code X-Amz-Signature} appended to the query. The request's headers are signed too, so a client
   * of the URL must send them unchanged ({@link PresignedUrl#headers()}). For S3 the payload is
   * {@code UNSIGNED-PAYLOAD}; other services sign the hash of the body held in memory, or of the
   * empty body.
   *
   * <p>This method does not cap the expiry at the credential's own expiry; {@link SigV4Presigner}
   * does, and corrects the start time for clock skew.
   *
   * @param expiry how long the URL is valid from {@code signingTime}, whole seconds from 1 second to
   *     7 days; fractions of a second are dropped
   * @throws IllegalArgumentException if the expiry is out of range
   */
  public PresignedUrl presign(
      SignableRequest request, AwsCredentials credentials, Instant signingTime, Duration expiry) {
    requireInputs(request, credentials, signingTime);
    requireExpiry(expiry);
    long expirySeconds = expiry.getSeconds();
    String url = engine.presign(request, credentials, signingTime, expirySeconds, null);
    return new PresignedUrl(request.method(), url, request.headers(), signingTime.getEpochSecond(), expirySeconds);
  }

  /**
   * Signs the headers of a chunked upload ({@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD}) and returns
   * the signer for its chunks. The returned request carries {@code Content-Encoding: aws-chunked},
   * {@code x-amz-decoded-content-length} and the {@code Content-Length} of the encoded body.
   *
   * @param decodedContentLength the number of bytes of the object
   * @param chunkSize the bytes of object data per chunk, at least 8 KiB; S3 requires every chunk but
   *     the last to be at least 8 KiB
   * @throws IllegalArgumentException if a length is out of range
   */
  public ChunkedUploadSigner signChunkedUpload(SignableRequest request, AwsCredentials credentials,
      Instant signingTime, long decodedContentLength, int chunkSize) {
    requireInputs(request, credentials, signingTime);
    return ChunkedUploadSigner.start(engine, request, credentials, signingTime, decodedContentLength, chunkSize);
  }

  SigV4Engine engine() {
    return engine;
  }

  static void requireExpiry(Duration expiry) {
    Objects.requireNonNull(expiry, "expiry");
    if (expiry.compareTo(MIN_PRESIGN_EXPIRY) < 0 || expiry.compareTo(MAX_PRESIGN_EXPIRY) > 0) {
      throw new IllegalArgumentException(
          "Invalid presigned URL expiry " + expiry + ": use 1 second to 7 days (PT1S to PT168H)");
    }
  }

  private static void requireInputs(SignableRequest request, AwsCredentials credentials, Instant signingTime) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(signingTime, "signingTime");
  }

  private static UriRules defaultRules(String service) {
    return service.equals("s3") || service.equals("s3express") || service.equals("s3-outposts")
        ? UriRules.S3
        : UriRules.STANDARD;
  }

  @Override
  public String toString() {
    return "SigV4Signer[region=" + region + ", service=" + service + ", uriRules=" + uriRules + "]";
  }

  /** Builder for {@link SigV4Signer}; not thread-safe. */
  public static final class Builder {
    private String region;
    private String service = "s3";
    private UriRules uriRules;
    private Boolean contentSha256Header;
    private boolean signSessionToken = true;

    private Builder() {}

    /** Sets the region of the credential scope, such as {@code us-east-1}; required. */
    public Builder region(String region) {
      this.region = requireName(region, "region", "us-east-1");
      return this;
    }

    /** Sets the service of the credential scope, such as {@code s3} or {@code sts}; default {@code s3}. */
    public Builder service(String service) {
      this.service = requireName(service, "service", "s3");
      return this;
    }

    /** Sets the path rules; default {@link UriRules#S3} for S3 services and {@link UriRules#STANDARD} otherwise. */
    public Builder uriRules(UriRules uriRules) {
      this.uriRules = Objects.requireNonNull(uriRules, "uriRules");
      return this;
    }

    /**
     * Sets whether header signing adds {@code x-amz-content-sha256} with the payload hash when the
     * request has none; default true under the S3 rules, which require it, and false otherwise.
     */
    public Builder contentSha256Header(boolean add) {
      this.contentSha256Header = add;
      return this;
    }

    /**
     * Sets whether the session token of temporary credentials is covered by the signature; default
     * true. A few services expect the token added after signing.
     */
    public Builder signSessionToken(boolean sign) {
      this.signSessionToken = sign;
      return this;
    }

    /**
     * Builds the signer.
     *
     * @throws IllegalStateException if the region is missing
     */
    public SigV4Signer build() {
      if (region == null) {
        throw new IllegalStateException("SigV4Signer needs a region: call region(\"us-east-1\") or the bucket's region");
      }
      return new SigV4Signer(this);
    }

    private static String requireName(String value, String option, String example) {
      Objects.requireNonNull(value, option);
      if (!NAME.matcher(value).matches()) {
        throw new IllegalArgumentException("Invalid " + option + " '" + value
            + "': use lower-case letters, digits and hyphens, such as " + example
            + (value.equals(value.toLowerCase(Locale.ROOT)) ? "" : " (" + value.toLowerCase(Locale.ROOT) + ")"));
      }
      return value;
    }
  }
}
