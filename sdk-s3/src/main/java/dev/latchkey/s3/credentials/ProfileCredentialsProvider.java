package dev.latchkey.s3.credentials;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialNotConfiguredException;
import dev.latchkey.credentials.CredentialProvider;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.s3.internal.credentials.ProfileFileParser;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import okhttp3.OkHttpClient;

/**
 * Reads a named profile from the AWS shared credentials file and config file.
 *
 * <p>A profile gives static keys ({@code aws_access_key_id}, {@code aws_secret_access_key} and the
 * optional {@code aws_session_token}), or a role to assume: {@code role_arn} with either {@code
 * source_profile} (another profile, resolved the same way, so roles can chain) or {@code
 * credential_source} ({@code Environment}, {@code Ec2InstanceMetadata} or {@code EcsContainer}), and
 * the optional {@code external_id}, {@code role_session_name}, {@code duration_seconds} and {@code
 * region}. When a profile is in both files, the credentials file's properties win.
 *
 * <p>The files are read again on every {@link #fetch()}, so rotated keys are picked up. The profile
 * is {@code AWS_PROFILE}, or {@code default}; the files are {@code AWS_SHARED_CREDENTIALS_FILE} and
 * {@code AWS_CONFIG_FILE}, or {@code ~/.aws/credentials} and {@code ~/.aws/config}; the builder
 * overrides each.
 *
 * <p>Immutable and thread-safe.
 */
public final class ProfileCredentialsProvider implements CredentialProvider<AwsCredentials> {

  private final String profileName;
  private final Path credentialsFile;
  private final Path configFile;
  private final Map<String, String> environment;
  private final URI stsEndpoint;
  private final InstantSource clock;
  private final OkHttpClient httpClient;

  private ProfileCredentialsProvider(Builder builder) {
    this.environment = builder.environment;
    this.profileName = builder.profileName != null ? builder.profileName
        : variable(builder.environment, "AWS_PROFILE", "default");
    this.credentialsFile = builder.credentialsFile != null ? builder.credentialsFile
        : file(builder.environment, "AWS_SHARED_CREDENTIALS_FILE", builder.home.resolve(".aws/credentials"));
    this.configFile = builder.configFile != null ? builder.configFile
        : file(builder.environment, "AWS_CONFIG_FILE", builder.home.resolve(".aws/config"));
    this.stsEndpoint = builder.stsEndpoint;
    this.clock = builder.clock;
    this.httpClient = builder.httpClient;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads the files and returns the profile's credentials, assuming its role if it names one.
   *
   * @throws CredentialNotConfiguredException if neither file exists or the profile is in neither
   * @throws CredentialException if the profile is incomplete or invalid (not retryable), a file
   *     cannot be read, or assuming the role fails
   * @throws StsException if STS rejects the role request
   */
  @Override
  public AwsCredentials fetch() {
    Map<String, Map<String, String>> profiles = loadProfiles();
    if (!profiles.containsKey(profileName)) {
      throw new CredentialNotConfiguredException("AWS profile '" + profileName + "' is not in "
          + credentialsFile + " or " + configFile);
    }
    return resolve(profiles, profileName, new LinkedHashSet<>()).fetch();
  }

  @Override
  public String name() {
    return "profile:" + profileName;
  }

  @Override
  public String toString() {
    return "ProfileCredentialsProvider[profile=" + profileName + ", credentialsFile=" + credentialsFile
        + ", configFile=" + configFile + "]";
  }

  private CredentialProvider<AwsCredentials> resolve(
      Map<String, Map<String, String>> profiles, String name, Set<String> visited) {
    if (!visited.add(name)) {
      throw new CredentialException("AWS profiles form a loop through source_profile: "
          + String.join(" -> ", visited) + " -> " + name, false);
    }
    Map<String, String> profile = profiles.get(name);
    if (profile == null) {
      throw new CredentialException("AWS profile '" + visited.iterator().next()
          + "' refers to profile '" + name + "', which is in neither file", false);
    }
    if (!profile.containsKey("role_arn")) {
      return staticKeys(name, profile);
    }
    return assumeRole(name, profile, base(profiles, name, profile, visited));
  }

  private CredentialProvider<AwsCredentials> base(
      Map<String, Map<String, String>> profiles, String name, Map<String, String> profile, Set<String> visited) {
    String sourceProfile = profile.get("source_profile");
    String credentialSource = profile.get("credential_source");
    if (sourceProfile != null && credentialSource != null) {
      throw new CredentialException("AWS profile '" + name
          + "' sets both source_profile and credential_source: keep one", false);
    }
    if (sourceProfile != null) {
      // A profile may name itself as its source to assume a role with its own static keys.
      return sourceProfile.equals(name) ? staticKeys(name, profile) : resolve(profiles, sourceProfile, visited);
    }
    if (credentialSource == null) {
      throw new CredentialException("AWS profile '" + name
          + "' sets role_arn without source_profile or credential_source", false);
    }
    return switch (credentialSource) {
      case "Environment" -> EnvironmentCredentialsProvider.builder().environment(environment).build();
      case "Ec2InstanceMetadata" -> InstanceMetadataCredentialsProvider.builder().environment(environment).build();
      case "EcsContainer" -> ContainerCredentialsProvider.builder().environment(environment).build();
      default -> throw new CredentialException("AWS profile '" + name + "' has an invalid credential_source '"
          + credentialSource + "': use Environment, Ec2InstanceMetadata or EcsContainer", false);
    };
  }

  private CredentialProvider<AwsCredentials> assumeRole(
      String name, Map<String, String> profile, CredentialProvider<AwsCredentials> base) {
    AssumeRoleCredentialsProvider.Builder role = AssumeRoleCredentialsProvider.builder()
        .baseCredentials(base)
        .clock(clock)
        .httpClient(httpClient);
    try {
      role.roleArn(profile.get("role_arn"));
      optional(profile, "role_session_name", role::roleSessionName);
      optional(profile, "external_id", role::externalId);
      optional(profile, "region", role::region);
      optional(profile, "duration_seconds", seconds -> role.duration(Duration.ofSeconds(Long.parseLong(seconds))));
    } catch (IllegalArgumentException e) {
      throw new CredentialException("AWS profile '" + name + "' is invalid: " + e.getMessage(), e, false);
    }
    if (stsEndpoint != null) {
      role.endpoint(stsEndpoint);
    }
    return role.build();
  }

  private static CredentialProvider<AwsCredentials> staticKeys(String name, Map<String, String> profile) {
    String accessKeyId = profile.get("aws_access_key_id");
    String secret = profile.get("aws_secret_access_key");
    if (accessKeyId == null || accessKeyId.isEmpty() || secret == null || secret.isEmpty()) {
      throw new CredentialException("AWS profile '" + name
          + "' needs aws_access_key_id and aws_secret_access_key, or role_arn", false);
    }
    String token = profile.get("aws_session_token");
    AwsCredentials credentials = AwsCredentials.builder()
        .accessKeyId(accessKeyId)
        .secretAccessKey(SecretValue.of(secret))
        .sessionToken(token == null || token.isEmpty() ? null : SecretValue.of(token))
        .build();
    return () -> credentials;
  }

  private static void optional(Map<String, String> profile, String property, java.util.function.Consumer<String> setter) {
    String value = profile.get(property);
    if (value != null && !value.isEmpty()) {
      setter.accept(value);
    }
  }

  private Map<String, Map<String, String>> loadProfiles() {
    String config = read(configFile);
    String credentials = read(credentialsFile);
    if (config == null && credentials == null) {
      throw new CredentialNotConfiguredException(
          "Neither AWS profile file exists: " + credentialsFile + ", " + configFile);
    }

    Map<String, Map<String, String>> profiles = new HashMap<>();
    if (config != null) {
      profiles.putAll(ProfileFileParser.parse(config, configFile.toString(), true));
    }
    if (credentials != null) {
      ProfileFileParser.parse(credentials, credentialsFile.toString(), false).forEach(
          (name, properties) -> profiles.merge(name, properties, (fromConfig, fromCredentials) -> {
            Map<String, String> merged = new HashMap<>(fromConfig);
            merged.putAll(fromCredentials);
            return merged;
          }));
    }
    return profiles;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new CredentialException("Cannot read AWS profile file " + file + ": " + e.getMessage(), e, true);
    }
  }

  private static String variable(Map<String, String> environment, String name, String fallback) {
    String value = environment.get(name);
    return value == null || value.isBlank() ? fallback : value.strip();
  }

  private static Path file(Map<String, String> environment, String name, Path fallback) {
    String value = environment.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    String path = value.strip();
    return path.startsWith("~/") ? Path.of(System.getProperty("user.home")).resolve(path.substring(2)) : Path.of(path);
  }

  /** Builder for {@link ProfileCredentialsProvider}; not thread-safe. */
  public static final class Builder {
    private String profileName;
    private Path credentialsFile;
    private Path configFile;
    private Path home = Path.of(System.getProperty("user.home"));
    private Map<String, String> environment = System.getenv();
    private URI stsEndpoint;
    private InstantSource clock = InstantSource.system();
    private OkHttpClient httpClient = new OkHttpClient();

    private Builder() {}

    /**
     * Sets the profile to read; default {@code AWS_PROFILE}, or {@code default}.
     *
     * @throws IllegalArgumentException if it is blank
     */
    public Builder profileName(String profileName) {
      Objects.requireNonNull(profileName, "profileName");
      if (profileName.isBlank()) {
        throw new IllegalArgumentException("Invalid profileName '': name a profile such as default");
      }
      this.profileName = profileName.strip();
      return this;
    }

    /** Sets the shared credentials file; default {@code AWS_SHARED_CREDENTIALS_FILE} or {@code ~/.aws/credentials}. */
    public Builder credentialsFile(Path credentialsFile) {
      this.credentialsFile = Objects.requireNonNull(credentialsFile, "credentialsFile");
      return this;
    }

    /** Sets the config file; default {@code AWS_CONFIG_FILE} or {@code ~/.aws/config}. */
    public Builder configFile(Path configFile) {
      this.configFile = Objects.requireNonNull(configFile, "configFile");
      return this;
    }

    /**
     * Sets the variables read for {@code AWS_PROFILE}, the file locations and {@code
     * credential_source = Environment}; default {@link System#getenv()}.
     */
    public Builder environment(Map<String, String> environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /**
     * Sets the STS endpoint for profiles with {@code role_arn}, overriding the one their {@code
     * region} gives: a VPC endpoint, or a test server.
     *
     * @throws IllegalArgumentException if it is not https, or http to a loopback address
     */
    public Builder stsEndpoint(URI stsEndpoint) {
      this.stsEndpoint = dev.latchkey.s3.internal.credentials.StsOptions.endpoint(stsEndpoint);
      return this;
    }

    /** Sets the clock for signing role requests; default {@link InstantSource#system()}. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Sets the HTTP client for role requests. */
    public Builder httpClient(OkHttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    public ProfileCredentialsProvider build() {
      return new ProfileCredentialsProvider(this);
    }
  }
}
