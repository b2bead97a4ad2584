package dev.latchkey.s3.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.CredentialNotConfiguredException;
import dev.latchkey.testkit.FakeClock;
import dev.latchkey.testkit.IssuedCredentials;
import dev.latchkey.testkit.TestSts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileCredentialsProviderTest {

  private static final String CREDENTIALS = """
      # Shared credentials
      [default]
      aws_access_key_id = AKIDDEFAULTEXAMPLE
      aws_secret_access_key = default/secret+key ; rotated monthly

      [temporary]
      aws_access_key_id=ASIATEMPEXAMPLE
      aws_secret_access_key=temp-secret
      aws_session_token=temp-token

      [shared]
      aws_secret_access_key = from-credentials-file
      """;

  private static final String CONFIG = """
      [default]
      region = eu-west-1
      s3 =
        max_concurrent_requests = 20

      [profile shared]
      aws_access_key_id = AKIDSHAREDEXAMPLE
      aws_secret_access_key = from-config-file

      [profile writer]
      role_arn = arn:aws:iam::123456789012:role/writer
      source_profile = default
      role_session_name = nightly
      external_id = partner-7f3a
      duration_seconds = 1800

      [profile chained]
      role_arn = arn:aws:iam::123456789012:role/auditor
      source_profile = writer

      [profile loop-a]
      role_arn = arn:aws:iam::123456789012:role/a
      source_profile = loop-b

      [profile loop-b]
      role_arn = arn:aws:iam::123456789012:role/b
      source_profile = loop-a

      [profile from-env]
      role_arn = arn:aws:iam::123456789012:role/env
      credential_source = Environment

      [profile incomplete]
      aws_access_key_id = AKIDINCOMPLETE

      [sso-session corp]
      sso_region = us-east-1
      """;

  @TempDir
  Path folder;

  private final Map<String, String> environment = new HashMap<>();

  private ProfileCredentialsProvider.Builder provider() throws IOException {
    Files.writeString(folder.resolve("credentials"), CREDENTIALS);
    Files.writeString(folder.resolve("config"), CONFIG);
    return ProfileCredentialsProvider.builder()
        .credentialsFile(folder.resolve("credentials"))
        .configFile(folder.resolve("config"))
        .environment(environment);
  }

  @Test
  void readsDefaultStaticKeys() throws IOException {
    AwsCredentials credentials = provider().build().fetch();

    assertThat(credentials.accessKeyId()).isEqualTo("AKIDDEFAULTEXAMPLE");
    assertThat(credentials.secretAccessKey().reveal()).isEqualTo("default/secret+key");
    assertThat(credentials.sessionToken()).isEmpty();
  }

  @Test
  void selectsProfileFromEnvironment() throws IOException {
    environment.put("AWS_PROFILE", "temporary");

    AwsCredentials credentials = provider().build().fetch();

    assertThat(credentials.accessKeyId()).isEqualTo("ASIATEMPEXAMPLE");
    assertThat(credentials.sessionToken().orElseThrow().reveal()).isEqualTo("temp-token");
  }

  @Test
  void credentialsFileWinsOverConfigFile() throws IOException {
    AwsCredentials credentials = provider().profileName("shared").build().fetch();

    assertThat(credentials.accessKeyId()).isEqualTo("AKIDSHAREDEXAMPLE");
    assertThat(credentials.secretAccessKey().reveal()).isEqualTo("from-credentials-file");
  }

  @Test
  void honoursFileVariables() throws IOException {
    Path other = folder.resolve("elsewhere");
    Files.writeString(other, "[default]\naws_access_key_id = AKIDELSEWHERE\naws_secret_access_key = s\n");
    environment.put("AWS_SHARED_CREDENTIALS_FILE", other.toString());
    environment.put("AWS_CONFIG_FILE", folder.resolve("missing-config").toString());

    AwsCredentials credentials = ProfileCredentialsProvider.builder().environment(environment).build().fetch();

    assertThat(credentials.accessKeyId()).isEqualTo("AKIDELSEWHERE");
  }

  @Test
  void assumesRoleWithSourceProfile() throws IOException {
    FakeClock clock = FakeClock.at(Instant.now());
    try (TestSts sts = TestSts.builder().clock(clock).rootKey("AKIDDEFAULTEXAMPLE", "default/secret+key").start()) {
      AwsCredentials credentials = provider().profileName("writer").stsEndpoint(sts.endpoint()).clock(clock)
          .build().fetch();

      IssuedCredentials issued = sts.find(credentials.accessKeyId()).orElseThrow();
      assertThat(issued.roleArn()).isEqualTo("arn:aws:iam::123456789012:role/writer");
      assertThat(issued.subject()).isEqualTo("AKIDDEFAULTEXAMPLE");
      assertThat(issued.roleSessionName()).isEqualTo("nightly");
      assertThat(credentials.expiresAt()).contains(clock.instant().plus(Duration.ofMinutes(30)));
    }
  }

  @Test
  void chainsRoleProfiles() throws IOException {
    try (TestSts sts = TestSts.builder().rootKey("AKIDDEFAULTEXAMPLE", "default/secret+key").start()) {
      AwsCredentials credentials = provider().profileName("chained").stsEndpoint(sts.endpoint()).build().fetch();

      IssuedCredentials auditor = sts.find(credentials.accessKeyId()).orElseThrow();
      assertThat(auditor.roleArn()).isEqualTo("arn:aws:iam::123456789012:role/auditor");
      IssuedCredentials writer = sts.find(auditor.subject()).orElseThrow();
      assertThat(writer.roleArn()).isEqualTo("arn:aws:iam::123456789012:role/writer");
    }
  }

  @Test
  void assumesRoleWithEnvironmentSource() throws IOException {
    environment.put("AWS_ACCESS_KEY_ID", "AKIDENVEXAMPLE");
    environment.put("AWS_SECRET_ACCESS_KEY", "env-secret");
    try (TestSts sts = TestSts.builder().rootKey("AKIDENVEXAMPLE", "env-secret").start()) {
      AwsCredentials credentials = provider().profileName("from-env").stsEndpoint(sts.endpoint()).build().fetch();

      assertThat(sts.find(credentials.accessKeyId()).orElseThrow().subject()).isEqualTo("AKIDENVEXAMPLE");
    }
  }

  @Test
  void rejectsSourceProfileLoop() throws IOException {
    assertThatThrownBy(() -> provider().profileName("loop-a").build().fetch())
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("loop-a -> loop-b -> loop-a");
  }

  @Test
  void rejectsIncompleteProfile() throws IOException {
    assertThatThrownBy(() -> provider().profileName("incomplete").build().fetch())
        .isInstanceOf(CredentialException.class)
        .isNotInstanceOf(CredentialNotConfiguredException.class)
        .hasMessageContaining("aws_secret_access_key");
  }

  @Test
  void reportsNotConfiguredForMissingProfileOrFiles() throws IOException {
    assertThatThrownBy(() -> provider().profileName("corp").build().fetch())
        .isInstanceOf(CredentialNotConfiguredException.class)
        .hasMessageContaining("'corp'");
    assertThatThrownBy(() -> ProfileCredentialsProvider.builder()
            .credentialsFile(folder.resolve("none")).configFile(folder.resolve("none-either")).build().fetch())
        .isInstanceOf(CredentialNotConfiguredException.class);
  }

  @Test
  void rejectsMalformedLineWithoutQuotingIt() throws IOException {
    Files.writeString(folder.resolve("broken"), "[default]\naws_secret_access_key\n");

    assertThatThrownBy(() -> ProfileCredentialsProvider.builder()
            .credentialsFile(folder.resolve("broken")).configFile(folder.resolve("none")).build().fetch())
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("Invalid line 2")
        .hasMessageNotContaining("aws_secret_access_key");
  }
}
