package dev.latchkey.s3.internal.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.s3.credentials.StsException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StsXmlTest {

  static String resource(String name) throws IOException {
    try (InputStream in = StsXmlTest.class.getResourceAsStream("/token-responses/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void parsesPublishedWebIdentityResponse() throws IOException {
    AwsCredentials credentials =
        StsXml.parseCredentials(resource("aws-sts-assume-role-with-web-identity-response.xml"), "STS");

    assertThat(credentials.accessKeyId()).isEqualTo("ASgeIAIOSFODNN7EXAMPLE");
    assertThat(credentials.secretAccessKey().reveal()).isEqualTo("wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY");
    assertThat(credentials.sessionToken()).hasValueSatisfying(
        token -> assertThat(token.reveal()).isEqualTo("AQoDYXdzEE0a8ANXXXXXXXXNO1ewxE5TijQyp+IEXAMPLE"));
    assertThat(credentials.expiresAt()).contains(Instant.parse("2014-10-24T23:00:23Z"));
  }

  @Test
  void parsesAssumeRoleWithPrefixAndOffset() {
    String xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <sts:AssumeRoleResponse xmlns:sts="https://sts.amazonaws.com/doc/2011-06-15/">
          <sts:AssumeRoleResult>
            <sts:Credentials>
              <sts:Expiration>2026-01-01T12:00:00.250+02:00</sts:Expiration>
              <sts:AccessKeyId>ASIAPREFIXED</sts:AccessKeyId>
              <sts:SessionToken>session</sts:SessionToken>
              <sts:SecretAccessKey> secret </sts:SecretAccessKey>
            </sts:Credentials>
            <sts:AssumedRoleUser><sts:Arn>arn:aws:sts::1:assumed-role/r/s</sts:Arn></sts:AssumedRoleUser>
          </sts:AssumeRoleResult>
        </sts:AssumeRoleResponse>
        """;

    AwsCredentials credentials = StsXml.parseCredentials(xml, "STS");

    assertThat(credentials.accessKeyId()).isEqualTo("ASIAPREFIXED");
    assertThat(credentials.secretAccessKey().reveal()).isEqualTo("secret");
    assertThat(credentials.expiresAt()).contains(Instant.parse("2026-01-01T10:00:00.250Z"));
  }

  @Test
  void rejectsMissingSessionToken() {
    String xml = "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A</AccessKeyId>"
        + "<SecretAccessKey>s</SecretAccessKey><Expiration>2026-01-01T00:00:00Z</Expiration>"
        + "</Credentials></AssumeRoleResult></AssumeRoleResponse>";

    assertThatThrownBy(() -> StsXml.parseCredentials(xml, "STS"))
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("SessionToken");
  }

  @Test
  void rejectsExpirationWithoutOffset() {
    String xml = "<AssumeRoleResponse><Credentials><AccessKeyId>A</AccessKeyId><SessionToken>t</SessionToken>"
        + "<SecretAccessKey>s</SecretAccessKey><Expiration>2026-01-01T00:00:00</Expiration>"
        + "</Credentials></AssumeRoleResponse>";

    assertThatThrownBy(() -> StsXml.parseCredentials(xml, "STS"))
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("Expiration '2026-01-01T00:00:00'");
  }

  @Test
  void rejectsExternalEntity() {
    String xml = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        + "<AssumeRoleResponse><Credentials><AccessKeyId>&x;</AccessKeyId></Credentials></AssumeRoleResponse>";

    assertThatThrownBy(() -> StsXml.parseCredentials(xml, "STS"))
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("not well-formed XML")
        .hasMessageNotContaining("root:");
  }

  @Test
  void parsesExpiredTokenError() {
    String xml = """
        <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <RequestId>4e1c3fd3-example</RequestId>
          <Error>
            <Message>Token expired: current date/time 1700000000 must be before the expiration</Message>
            <Code>ExpiredTokenException</Code>
            <Type>Sender</Type>
          </Error>
        </ErrorResponse>
        """;

    StsException error = StsXml.parseError(xml, 400);

    assertThat(error.kind()).isEqualTo(StsException.Kind.EXPIRED_TOKEN);
    assertThat(error.errorCode()).isEqualTo("ExpiredTokenException");
    assertThat(error.requestId()).contains("4e1c3fd3-example");
    assertThat(error.isRetryable()).isFalse();
    assertThat(error.getMessage()).contains("HTTP 400 ExpiredTokenException: Token expired");
  }

  @Test
  void classifiesAccessDeniedThrottlingAndServerErrors() {
    StsException denied = StsXml.parseError(errorBody("AccessDenied"), 403);
    StsException throttled = StsXml.parseError(errorBody("Throttling"), 400);
    StsException server = StsXml.parseError(errorBody("InternalFailure"), 500);
    StsException unknown = StsXml.parseError("<html>bad gateway</html", 502);

    assertThat(denied.kind()).isEqualTo(StsException.Kind.ACCESS_DENIED);
    assertThat(denied.isRetryable()).isFalse();
    assertThat(throttled.kind()).isEqualTo(StsException.Kind.THROTTLING);
    assertThat(throttled.isRetryable()).isTrue();
    assertThat(server.kind()).isEqualTo(StsException.Kind.SERVER_ERROR);
    assertThat(server.isRetryable()).isTrue();
    assertThat(unknown.errorCode()).isEqualTo("Unknown");
    assertThat(unknown.isRetryable()).isTrue();
  }

  private static String errorBody(String code) {
    return "<ErrorResponse><Error><Type>Sender</Type><Code>" + code + "</Code><Message>m</Message></Error>"
        + "<RequestId>r</RequestId></ErrorResponse>";
  }
}
