package dev.latchkey.s3.internal.credentials;

import static dev.latchkey.s3.internal.credentials.StsXmlTest.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialException;
import java.io.IOException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CredentialsJsonTest {

  @Test
  void parsesPublishedImdsDocument() throws IOException {
    AwsCredentials credentials = CredentialsJson.parse(resource("aws-imds-security-credentials.json"), "IMDS");

    assertThat(credentials.accessKeyId()).isEqualTo("ASIAIOSFODNN7EXAMPLE");
    assertThat(credentials.secretAccessKey().reveal()).isEqualTo("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    assertThat(credentials.sessionToken().orElseThrow().reveal()).isEqualTo("token");
    assertThat(credentials.expiresAt()).contains(Instant.parse("2017-05-17T15:09:54Z"));
  }

  @Test
  void readsEcsMemberNamesAndRejectsPlaceholderExpiration() throws IOException {
    // The ECS documentation sample has the literal EXPIRATION_DATE where a time belongs.
    String document = resource("aws-ecs-container-credentials-doc.json");

    assertThatThrownBy(() -> CredentialsJson.parse(document, "ECS"))
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("invalid Expiration 'EXPIRATION_DATE'");

    String dated = document.replace("EXPIRATION_DATE", "2026-03-01T08:30:00+01:00");
    AwsCredentials credentials = CredentialsJson.parse(dated, "ECS");
    assertThat(credentials.accessKeyId()).isEqualTo("ACCESS_KEY_ID");
    assertThat(credentials.sessionToken().orElseThrow().reveal()).isEqualTo("SECURITY_TOKEN_STRING");
    assertThat(credentials.expiresAt()).contains(Instant.parse("2026-03-01T07:30:00Z"));
  }

  @Test
  void rejectsFailureCode() {
    String document = "{\"Code\":\"AssumeRoleUnauthorizedAccess\",\"Message\":\"role not trusted\"}";

    assertThatThrownBy(() -> CredentialsJson.parse(document, "IMDS"))
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("AssumeRoleUnauthorizedAccess")
        .hasMessageContaining("role not trusted");
  }

  @Test
  void rejectsMalformedJsonWithoutQuotingIt() {
    String document = "{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"do-not-print\" \"Token\"}";

    assertThatThrownBy(() -> CredentialsJson.parse(document, "IMDS"))
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("not valid JSON")
        .hasMessageNotContaining("do-not-print");
  }

  @Test
  void rejectsMissingToken() {
    String document = "{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"s\",\"Expiration\":\"2026-01-01T00:00:00Z\"}";

    assertThatThrownBy(() -> CredentialsJson.parse(document, "IMDS"))
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("member Token");
  }
}
