package dev.latchkey.s3.credentials;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.s3.SigV4Signer;
import dev.latchkey.s3.internal.credentials.StsOptions;
import dev.latchkey.s3.internal.credentials.StsQueryClient;
import dev.latchkey.signing.ClockSkew;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * Assumes an IAM role with STS {@code AssumeRole}, signing the request (SigV4, service {@code sts})
 * with credentials from a base provider.
 *
 * <p>The base provider is asked on every {@link #fetch()}; wrap it in a {@code CredentialCache} when
 * it is itself a remote source. A session policy narrows the role's permissions for the session, and
 * an external id is sent when the role's trust policy requires one.
 *
 * <pre>{@code
 * CredentialProvider<AwsCredentials> role = AssumeRoleCredentialsProvider.builder()
 *     .baseCredentials(EnvironmentCredentialsProvider.create())
 *     .roleArn("arn:aws:iam::123456789012:role/reports-writer")
 *     .externalId("partner-7f3a")
 *     .region("eu-west-1")
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class AssumeRoleCredentialsProvider implements CredentialProvider<AwsCredentials> {

  private final CredentialProvider<AwsCredentials> baseCredentials;
  private final String roleArn;
  private final String sessionName;
  private final String externalId;
  private final String policy;
  private final Duration duration;
  private final InstantSource clock;
  private final ClockSkew clockSkew;
  private final SigV4Signer signer;
  private final StsQueryClient sts;

  private AssumeRoleCredentialsProvider(Builder builder, URI endpoint, String signingRegion) {
    this.baseCredentials = builder.baseCredentials;
    this.roleArn = builder.roleArn;
    this.sessionName = builder.sessionName;
    this.externalId = builder.externalId;
    this.policy = builder.policy;
    this.duration = builder.duration;
    this.clock = builder.clock;
    this.clockSkew = builder.clockSkew;
    // x-amz-content-sha256 is optional for STS; it is sent because the AWS SDK v2 sends it too.
    this.signer = SigV4Signer.builder().region(signingRegion).service("sts").contentSha256Header(true).build();
    this.sts = new StsQueryClient(builder.httpClient, endpoint);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Fetches the base credentials, then assumes the role with them.
   *
   * @throws StsException if STS rejects the request, for example with {@code AccessDenied} when the
   *     trust policy does not match, or {@code ExpiredToken} when the base credentials expired
   * @throws CredentialException if the base provider fails, or STS cannot be reached (retryable)
   */
  @Override
  public AwsCredentials fetch() {
    AwsCredentials base = baseCredentials.fetch();
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("RoleArn", roleArn);
    parameters.put("RoleSessionName", sessionName == null ? StsOptions.defaultSessionName(clock) : sessionName);
    if (externalId != null) {
      parameters.put("ExternalId", externalId);
    }
    if (duration != null) {
      parameters.put("DurationSeconds", Long.toString(duration.getSeconds()));
    }
    if (policy != null) {
      parameters.put("Policy", policy);
    }

    return sts.call("AssumeRole", parameters,
        request -> signer.sign(request, base, clockSkew.serverTime(clock)));
  }

  @Override
  public String name() {
    return "sts-assume-role";
  }

  @Override
  public String toString() {
    return "AssumeRoleCredentialsProvider[roleArn=" + roleArn + ", endpoint=" + sts.endpoint()
        + ", base=" + baseCredentials.name() + "]";
  }

  /** Builder for {@link AssumeRoleCredentialsProvider}; not thread-safe. */
  public static final class Builder {
    private CredentialProvider<AwsCredentials> baseCredentials;
    private String roleArn;
    private String sessionName;
    private String externalId;
    private String policy;
    private Duration duration;
    private String region;
    private URI endpoint;
    private InstantSource clock = InstantSource.system();
    private ClockSkew clockSkew = ClockSkew.create();
    private OkHttpClient httpClient = new OkHttpClient();

    private Builder() {}

    /** Sets the provider of the credentials that sign the request. Required. */
    public Builder baseCredentials(CredentialProvider<AwsCredentials> baseCredentials) {
      this.baseCredentials = Objects.requireNonNull(baseCredentials, "baseCredentials");
      return this;
    }

    /**
     * Sets the role to assume, such as {@code arn:aws:iam::123456789012:role/writer}. Required.
     *
     * @throws IllegalArgumentException if it is not an IAM role ARN
     */
    public Builder roleArn(String roleArn) {
      this.roleArn = StsOptions.roleArn(roleArn);
      return this;
    }

    /**
     * Sets the role session name that CloudTrail records. Default: {@code latchkey-} and the epoch
     * milliseconds of each request.
     *
     * @throws IllegalArgumentException if it is not 2 to 64 characters of {@code [\w+=,.@-]}
     */
    public Builder roleSessionName(String sessionName) {
      this.sessionName = StsOptions.sessionName(sessionName);
      return this;
    }

    /**
     * Sets the external id that the role's trust policy requires; none by default.
     *
     * @throws IllegalArgumentException if it is not 2 to 1224 characters of {@code [\w+=,.@:/-]}
     */
    public Builder externalId(String externalId) {
      this.externalId = StsOptions.externalId(externalId);
      return this;
    }

    /**
     * Sets an IAM session policy (JSON) that narrows the role's permissions for this session.
     *
     * @throws IllegalArgumentException if it is not a JSON object with a {@code Statement}
     */
    public Builder policy(String policy) {
      this.policy = StsOptions.policy(policy);
      return this;
    }

    /**
     * Sets the session lifetime requested, in whole seconds from 15 minutes to 12 hours. Default: the
     * STS default of 1 hour.
     *
     * @throws IllegalArgumentException if it is outside that range
     */
    public Builder duration(Duration duration) {
      this.duration = StsOptions.duration(duration);
      return this;
    }

    /**
     * Sets the region of the STS endpoint and of the signature. Default: the global endpoint {@code
     * https://sts.amazonaws.com}, signed for {@code us-east-1}.
     *
     * @throws IllegalArgumentException if it is not a region name such as {@code eu-west-1}
     */
    public Builder region(String region) {
      this.region = StsOptions.region(region);
      return this;
    }

    /**
     * Sets the STS endpoint, overriding the one derived from {@link #region(String)}; the signature
     * still uses that region, or {@code us-east-1}.
     *
     * @throws IllegalArgumentException if it is not https, or http to a loopback address
     */
    public Builder endpoint(URI endpoint) {
      this.endpoint = StsOptions.endpoint(endpoint);
      return this;
    }

    /** Sets the clock for signing times and default session names; default {@link InstantSource#system()}. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Sets the clock-skew estimate that corrects the signing time; default an estimate of zero. */
    public Builder clockSkew(ClockSkew clockSkew) {
      this.clockSkew = Objects.requireNonNull(clockSkew, "clockSkew");
      return this;
    }

    /** Sets the HTTP client; redirects are turned off on a derived client. */
    public Builder httpClient(OkHttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /**
     * Builds the provider.
     *
     * @throws IllegalStateException if the base credentials or the role ARN are missing
     */
    public AssumeRoleCredentialsProvider build() {
      if (baseCredentials == null) {
        throw new IllegalStateException("AssumeRole needs credentials to sign with: call baseCredentials(...)");
      }
      if (roleArn == null) {
        throw new IllegalStateException("AssumeRole needs a role: call roleArn(...)");
      }
      URI resolved = endpoint != null ? endpoint
          : region != null ? StsOptions.regionalEndpoint(region) : StsOptions.GLOBAL_ENDPOINT;
      return new AssumeRoleCredentialsProvider(this, resolved, region != null ? region : "us-east-1");
    }
  }
}
