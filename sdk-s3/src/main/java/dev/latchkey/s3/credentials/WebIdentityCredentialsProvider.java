package dev.latchkey.s3.credentials;

import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.s3.internal.credentials.StsOptions;
import dev.latchkey.s3.internal.credentials.StsQueryClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import okhttp3.OkHttpClient;

/**
 * Exchanges an OpenID Connect token for temporary AWS credentials with STS {@code
 * AssumeRoleWithWebIdentity}.
 *
 * <p>The token comes from any {@link CredentialProvider} of {@link AccessToken}s (for example an OAuth
 * 2.0 client, ideally behind a {@code CredentialCache}), or from a file that is read again on every
 * {@link #fetch()}, as Kubernetes rotates projected service account tokens in place. The action is
 * not signed: the token is the proof of identity.
 *
 * <pre>{@code
 * CredentialProvider<AwsCredentials> sts = WebIdentityCredentialsProvider.builder()
 *     .roleArn("arn:aws:iam::123456789012:role/reports-reader")
 *     .tokenFile(Path.of("/var/run/secrets/eks.amazonaws.com/serviceaccount/token"))
 *     .region("eu-west-1")
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class WebIdentityCredentialsProvider implements CredentialProvider<AwsCredentials> {

  private final String roleArn;
  private final String sessionName;
  private final CredentialProvider<AccessToken> tokenProvider;
  private final Path tokenFile;
  private final Duration duration;
  private final String policy;
  private final InstantSource clock;
  private final StsQueryClient sts;

  private WebIdentityCredentialsProvider(Builder builder, URI endpoint) {
    this.roleArn = builder.roleArn;
    this.sessionName = builder.sessionName;
    this.tokenProvider = builder.tokenProvider;
    this.tokenFile = builder.tokenFile;
    this.duration = builder.duration;
    this.policy = builder.policy;
    this.clock = builder.clock;
    this.sts = new StsQueryClient(builder.httpClient, endpoint);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads the current token and requests credentials from STS.
   *
   * @throws StsException if STS rejects the request, for example with {@code InvalidIdentityToken}
   *     or {@code ExpiredTokenException}
   * @throws CredentialException if the token cannot be obtained or STS cannot be reached
   */
  @Override
  public AwsCredentials fetch() {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("RoleArn", roleArn);
    parameters.put("RoleSessionName", sessionName == null ? StsOptions.defaultSessionName(clock) : sessionName);
    parameters.put("WebIdentityToken", webIdentityToken());
    if (duration != null) {
      parameters.put("DurationSeconds", Long.toString(duration.getSeconds()));
    }
    if (policy != null) {
      parameters.put("Policy", policy);
    }
    return sts.call("AssumeRoleWithWebIdentity", parameters, UnaryOperator.identity());
  }

  @Override
  public String name() {
    return "sts-web-identity";
  }

  @Override
  public String toString() {
    return "WebIdentityCredentialsProvider[roleArn=" + roleArn + ", endpoint=" + sts.endpoint() + "]";
  }

  private String webIdentityToken() {
    if (tokenProvider != null) {
      return tokenProvider.fetch().token().reveal();
    }
    try {
      String token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
      if (token.isEmpty()) {
        throw new CredentialException("Web identity token file '" + tokenFile + "' is empty", true);
      }
      return token;
    } catch (NoSuchFileException e) {
      throw new CredentialException("Web identity token file '" + tokenFile + "' does not exist. tokenFile(...)"
          + " names it, or AWS_WEB_IDENTITY_TOKEN_FILE in the default chain, and the platform writes it: on"
          + " Amazon EKS, IAM roles for service accounts mount a projected service account token and set"
          + " AWS_WEB_IDENTITY_TOKEN_FILE to its path. Check that the setting names that file.", e, true);
    } catch (IOException e) {
      throw new CredentialException(
          "Cannot read the web identity token file '" + tokenFile + "': " + e.getMessage(), e, true);
    }
  }

  /** Builder for {@link WebIdentityCredentialsProvider}; not thread-safe. */
  public static final class Builder {
    private String roleArn;
    private String sessionName;
    private CredentialProvider<AccessToken> tokenProvider;
    private Path tokenFile;
    private Duration duration;
    private String policy;
    private String region;
    private URI endpoint;
    private InstantSource clock = InstantSource.system();
    private OkHttpClient httpClient = new OkHttpClient();

    private Builder() {}

    /**
     * Sets the role to assume, such as {@code arn:aws:iam::123456789012:role/reader}. Required.
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

    /** Sets the source of the OpenID Connect token; exclusive with {@link #tokenFile(Path)}. */
    public Builder tokenProvider(CredentialProvider<AccessToken> tokenProvider) {
      this.tokenProvider = Objects.requireNonNull(tokenProvider, "tokenProvider");
      return this;
    }

    /**
     * Sets a file holding the token, read again on every fetch; exclusive with {@link
     * #tokenProvider(CredentialProvider)}.
     */
    public Builder tokenFile(Path tokenFile) {
      this.tokenFile = Objects.requireNonNull(tokenFile, "tokenFile");
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
     * Sets an IAM session policy (JSON) that narrows the role's permissions for this session.
     *
     * @throws IllegalArgumentException if it is not a JSON object with a {@code Statement}
     */
    public Builder policy(String policy) {
      this.policy = StsOptions.policy(policy);
      return this;
    }

    /**
     * Sets the region whose STS endpoint is used, {@code https://sts.REGION.amazonaws.com}. Default:
     * the global endpoint {@code https://sts.amazonaws.com}.
     *
     * @throws IllegalArgumentException if it is not a region name such as {@code eu-west-1}
     */
    public Builder region(String region) {
      this.region = StsOptions.region(region);
      return this;
    }

    /**
     * Sets the STS endpoint, overriding {@link #region(String)}: a VPC endpoint, or a test server.
     *
     * @throws IllegalArgumentException if it is not https, or http to a loopback address
     */
    public Builder endpoint(URI endpoint) {
      this.endpoint = StsOptions.endpoint(endpoint);
      return this;
    }

    /** Sets the clock used for default session names; default {@link InstantSource#system()}. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
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
     * @throws IllegalStateException if the role ARN is missing, or not exactly one of a token
     *     provider and a token file is set
     */
    public WebIdentityCredentialsProvider build() {
      if (roleArn == null) {
        throw new IllegalStateException("AssumeRoleWithWebIdentity needs a role: call roleArn(...)");
      }
      if ((tokenProvider == null) == (tokenFile == null)) {
        throw new IllegalStateException(
            "AssumeRoleWithWebIdentity needs exactly one token source: call tokenProvider(...) or tokenFile(...)");
      }
      URI resolved = endpoint != null ? endpoint
          : region != null ? StsOptions.regionalEndpoint(region) : StsOptions.GLOBAL_ENDPOINT;
      return new WebIdentityCredentialsProvider(this, resolved);
    }
  }
}
