package dev.latchkey.s3.credentials;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialNotConfiguredException;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.providers.CredentialProviderChain;
import dev.latchkey.s3.internal.credentials.StsOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * Builds the usual chain of AWS credential sources, tried in this order on every fetch:
 *
 * <ol>
 *   <li>environment variables ({@link EnvironmentCredentialsProvider});
 *   <li>web identity from {@code AWS_WEB_IDENTITY_TOKEN_FILE} and {@code AWS_ROLE_ARN}, with the
 *       optional {@code AWS_ROLE_SESSION_NAME} and {@code AWS_REGION}, as EKS sets them for service
 *       accounts ({@link WebIdentityCredentialsProvider});
 *   <li>the shared profile files ({@link ProfileCredentialsProvider});
 *   <li>the ECS/EKS container endpoint ({@link ContainerCredentialsProvider});
 *   <li>the EC2 instance metadata service ({@link InstanceMetadataCredentialsProvider}).
 * </ol>
 *
 * <p>When every source fails, the chain throws a {@code CredentialChainException} that lists each
 * source's outcome (not configured, unavailable, or failed, with the reason). Wrap the chain in a
 * {@code CredentialCache} so that it runs once per refresh rather than once per request.
 */
public final class DefaultAwsCredentialsChain {

  private DefaultAwsCredentialsChain() {}

  /** Returns a chain over the process environment and the user's home folder. */
  public static CredentialProviderChain<AwsCredentials> create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder for the default chain; every option exists so tests can point the sources at loopback. Not thread-safe. */
  public static final class Builder {
    private Map<String, String> environment = System.getenv();
    private Path credentialsFile;
    private Path configFile;
    private URI stsEndpoint;
    private URI instanceMetadataEndpoint;
    private URI containerRelativeBase;
    private InstantSource clock = InstantSource.system();
    private OkHttpClient httpClient = new OkHttpClient();

    private Builder() {}

    /** Sets the variables every source reads; default {@link System#getenv()}. */
    public Builder environment(Map<String, String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /** Sets the shared credentials file; see {@link ProfileCredentialsProvider.Builder#credentialsFile}. */
    public Builder credentialsFile(Path credentialsFile) {
      this.credentialsFile = Objects.requireNonNull(credentialsFile, "credentialsFile");
      return this;
    }

    /** Sets the config file; see {@link ProfileCredentialsProvider.Builder#configFile}. */
    public Builder configFile(Path configFile) {
      this.configFile = Objects.requireNonNull(configFile, "configFile");
      return this;
    }

    /**
     * Sets the STS endpoint for web identity and role profiles.
     *
     * @throws IllegalArgumentException if it is not https, or http to a loopback address
     */
    public Builder stsEndpoint(URI stsEndpoint) {
      this.stsEndpoint = StsOptions.endpoint(stsEndpoint);
      return this;
    }

    /** Sets the IMDS endpoint; see {@link InstanceMetadataCredentialsProvider.Builder#endpoint}. */
    public Builder instanceMetadataEndpoint(URI endpoint) {
      InstanceMetadataCredentialsProvider.builder().endpoint(endpoint);
      this.instanceMetadataEndpoint = endpoint;
      return this;
    }

    /** Sets the container endpoint base; see {@link ContainerCredentialsProvider.Builder#relativeBase}. */
    public Builder containerRelativeBase(URI relativeBase) {
      ContainerCredentialsProvider.builder().relativeBase(relativeBase);
      this.containerRelativeBase = relativeBase;
      return this;
    }

    /** Sets the clock for STS signing and session names; default {@link InstantSource#system()}. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Sets the HTTP client whose connection pool every source shares. */
    public Builder httpClient(OkHttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    public CredentialProviderChain<AwsCredentials> build() {
      return CredentialProviderChain.of(List.of(
          EnvironmentCredentialsProvider.builder().environment(environment).build(),
          new WebIdentityFromEnvironment(this),
          profile(),
          container(),
          instanceMetadata()));
    }

    private ProfileCredentialsProvider profile() {
      ProfileCredentialsProvider.Builder profile = ProfileCredentialsProvider.builder()
          .environment(environment).clock(clock).httpClient(httpClient);
      if (credentialsFile != null) {
        profile.credentialsFile(credentialsFile);
      }
      if (configFile != null) {
        profile.configFile(configFile);
      }
      if (stsEndpoint != null) {
        profile.stsEndpoint(stsEndpoint);
      }
      return profile.build();
    }

    private ContainerCredentialsProvider container() {
      ContainerCredentialsProvider.Builder container = ContainerCredentialsProvider.builder()
          .environment(environment).httpClient(httpClient);
      if (containerRelativeBase != null) {
        container.relativeBase(containerRelativeBase);
      }
      return container.build();
    }

    private InstanceMetadataCredentialsProvider instanceMetadata() {
      InstanceMetadataCredentialsProvider.Builder imds = InstanceMetadataCredentialsProvider.builder()
          .environment(environment).httpClient(httpClient);
      if (instanceMetadataEndpoint != null) {
        imds.endpoint(instanceMetadataEndpoint);
      }
      return imds.build();
    }
  }

  /** Web identity configured by the variables that EKS sets, read on every fetch. */
  private static final class WebIdentityFromEnvironment implements CredentialProvider<AwsCredentials> {
    private final Map<String, String> environment;
    private final URI stsEndpoint;
    private final InstantSource clock;
    private final OkHttpClient httpClient;

    WebIdentityFromEnvironment(Builder builder) {
      this.environment = builder.environment;
      this.stsEndpoint = builder.stsEndpoint;
      this.clock = builder.clock;
      this.httpClient = builder.httpClient;
    }

    @Override
    public AwsCredentials fetch() {
      String tokenFile = variable("AWS_WEB_IDENTITY_TOKEN_FILE");
      String roleArn = variable("AWS_ROLE_ARN");
      if (tokenFile == null || roleArn == null) {
        throw new CredentialNotConfiguredException("AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not both set");
      }

      try {
        return configure(roleArn, tokenFile).build().fetch();
      } catch (IllegalArgumentException e) {
        throw new CredentialException("Invalid web identity variables: " + e.getMessage(), e, false);
      }
    }

    private WebIdentityCredentialsProvider.Builder configure(String roleArn, String tokenFile) {
      WebIdentityCredentialsProvider.Builder provider = WebIdentityCredentialsProvider.builder()
          .roleArn(roleArn).tokenFile(Path.of(tokenFile)).clock(clock).httpClient(httpClient);
      String sessionName = variable("AWS_ROLE_SESSION_NAME");
      String region = variable("AWS_REGION");
      if (sessionName != null) {
        provider.roleSessionName(sessionName);
      }
      if (stsEndpoint != null) {
        provider.endpoint(stsEndpoint);
      } else if (region != null) {
        provider.region(region);
      }
      return provider;
    }

    @Override
    public String name() {
      return "sts-web-identity-environment";
    }

    private String variable(String name) {
      String value = environment.get(name);
      return value == null || value.isBlank() ? null : value.strip();
    }
  }
}
