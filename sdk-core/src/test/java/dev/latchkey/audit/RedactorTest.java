package dev.latchkey.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.signing.SignableRequest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactorTest {

  private static final String SECRET = "CANARY-s3cr3t-7f2c9a";

  @Test
  void masksSasSignatureAndKeepsOtherParameters() {
    String url = "https://acct.blob.core.windows.net/c/b.txt?sv=2022-11-02&sp=r&sig=" + SECRET + "&se=2026-01-01";

    String redacted = Redactor.url(url);

    assertThat(redacted).isEqualTo(
        "https://acct.blob.core.windows.net/c/b.txt?sv=2022-11-02&sp=r&sig=****&se=2026-01-01");
  }

  @Test
  void masksPresignedS3Parameters() {
    String url = "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256"
        + "&X-Amz-Credential=AKIDEXAMPLE%2F20260101%2Fus-east-1%2Fs3%2Faws4_request"
        + "&X-Amz-Security-Token=" + SECRET + "&X-Amz-Signature=" + SECRET;

    String redacted = Redactor.url(url);

    assertThat(redacted).doesNotContain(SECRET);
    assertThat(redacted).contains("X-Amz-Credential=AKIDEXAMPLE%2F20260101");
    assertThat(redacted).contains("X-Amz-Security-Token=****&X-Amz-Signature=****");
  }

  @Test
  void matchesNamesWithoutCase() {
    assertThat(Redactor.url("https://h/p?SIG=" + SECRET)).isEqualTo("https://h/p?SIG=****");
    assertThat(Redactor.url("https://h/p?x-amz-signature=" + SECRET)).isEqualTo("https://h/p?x-amz-signature=****");
  }

  @Test
  void decodesPercentEncodedNames() {
    String redacted = Redactor.url("https://h/p?X%2DAmz%2DSignature=" + SECRET + "&%73ig=" + SECRET);

    assertThat(redacted).isEqualTo("https://h/p?X%2DAmz%2DSignature=****&%73ig=****");
  }

  @Test
  void masksSignatureOfNestedEncodedUrl() {
    String nested = "https%3A%2F%2Fa.blob.core.windows.net%2Fc%2Fb%3Fsv%3D1%26sig%3D" + SECRET;

    String redacted = Redactor.url("https://h/copy?source=" + nested + "&x=1");

    assertThat(redacted).doesNotContain(SECRET);
    assertThat(redacted).endsWith("&x=1");
  }

  @Test
  void masksUserInfoAndFragment() {
    String redacted = Redactor.url("https://user:" + SECRET + "@h/cb#access_token=" + SECRET + "&state=s");

    assertThat(redacted).isEqualTo("https://****@h/cb#access_token=****&state=s");
  }

  @Test
  void leavesUrlWithoutSecretsUnchanged() {
    String url = "https://b.s3.amazonaws.com/reports/2026/q1.csv?list-type=2&continuation-token=abc";

    assertThat(Redactor.url(url)).isEqualTo(url);
  }

  @Test
  void masksOauthFormBody() {
    String body = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange"
        + "&client_id=app&client_secret=" + SECRET + "&subject_token=" + SECRET
        + "&actor_token=" + SECRET + "&client_assertion=" + SECRET + "&assertion=" + SECRET;

    String redacted = Redactor.form(body);

    assertThat(redacted).doesNotContain(SECRET);
    assertThat(redacted).startsWith("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&client_id=app&");
    assertThat(redacted).contains("client_secret=****");
  }

  @Test
  void masksTokenResponseJson() {
    String json = "{\"access_token\":\"" + SECRET + "\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
        + "\"refresh_token\":\"" + SECRET + "\",\"id_token\":\"" + SECRET + "\"}";

    String redacted = Redactor.json(json);

    assertThat(redacted).isEqualTo(
        "{\"access_token\":\"****\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
            + "\"refresh_token\":\"****\",\"id_token\":\"****\"}");
  }

  @Test
  void masksEscapedJsonNamesAndObjects() {
    String json = "{\"Credentials\":{\"acc\\u0065ss_token\":\"" + SECRET + "\","
        + "\"SecretAccessKey\":{\"nested\":\"" + SECRET + "\"},\"AccessKeyId\":\"AKID\"}}";

    String redacted = Redactor.json(json);

    assertThat(redacted).doesNotContain(SECRET);
    assertThat(redacted).contains("\"AccessKeyId\":\"AKID\"");
  }

  @Test
  void redactsTruncatedJsonAsText() {
    String redacted = Redactor.json("{\"client_secret\": \"" + SECRET + "\", \"scope\": \"re");

    assertThat(redacted).isEqualTo("{\"client_secret\": \"****\", \"scope\": \"re");
  }

  @Test
  void masksSensitiveHeadersAndRedactsOthers() {
    List<SignableRequest.Header> headers = List.of(
        new SignableRequest.Header("Authorization", "Bearer " + SECRET),
        new SignableRequest.Header("proxy-authorization", "Basic " + SECRET),
        new SignableRequest.Header("x-ms-copy-source-authorization", "Bearer " + SECRET),
        new SignableRequest.Header("X-Amz-Security-Token", SECRET),
        new SignableRequest.Header("x-ms-copy-source", "https://a/c/b?sv=1&sig=" + SECRET),
        new SignableRequest.Header("Content-Type", "text/plain"));

    List<SignableRequest.Header> redacted = Redactor.headers(headers);

    assertThat(redacted).extracting(SignableRequest.Header::value).containsExactly(
        "****", "****", "****", "****", "https://a/c/b?sv=1&sig=****", "text/plain");
  }

  @Test
  void masksHeaderMap() {
    Map<String, List<String>> redacted = Redactor.headers(Map.of("authorization", List.of("SharedKey acct:" + SECRET)));

    assertThat(redacted).containsEntry("authorization", List.of("****"));
  }

  @Test
  void masksSecretsInFreeText() {
    String text = "Authorization: AWS4-HMAC-SHA256 Credential=AKID/x, Signature=" + SECRET + "\n"
        + "x-amz-security-token:" + SECRET + "\n"
        + "<Error><Code>SignatureDoesNotMatch</Code><SignatureProvided>" + SECRET + "</SignatureProvided></Error>\n"
        + "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + SECRET + ";EndpointSuffix=core\n"
        + "failed with token Bearer " + SECRET;

    String redacted = Redactor.text(text);

    assertThat(redacted).doesNotContain(SECRET);
    assertThat(redacted).contains("<Code>SignatureDoesNotMatch</Code>");
    assertThat(redacted).contains("AccountName=acct;AccountKey=****;EndpointSuffix=core");
  }

  @Test
  void choosesBodyFormByContentType() {
    assertThat(Redactor.body("application/json; charset=utf-8", "{\"password\":\"" + SECRET + "\"}"))
        .isEqualTo("{\"password\":\"****\"}");
    assertThat(Redactor.body("application/x-www-form-urlencoded", "password=" + SECRET + "&u=1"))
        .isEqualTo("password=****&u=1");
    assertThat(Redactor.body(null, "password=" + SECRET)).isEqualTo("password=****");
  }

  @Test
  void describesRequestWithoutSecrets() {
    SignableRequest request = SignableRequest.builder("PUT", URI.create("https://h/b/k?sig=" + SECRET))
        .addHeader("Authorization", "Bearer " + SECRET)
        .addHeader("Content-Length", "3")
        .body(new byte[3])
        .build();

    String described = Redactor.request(request);

    assertThat(described).isEqualTo(
        "PUT https://h/b/k?sig=****\nAuthorization: ****\nContent-Length: 3\n(body of 3 bytes)");
  }

  @Test
  void redactsThrowableChainKeepingStackTrace() {
    IllegalStateException cause = new IllegalStateException("body: {\"client_secret\":\"" + SECRET + "\"}");
    RuntimeException failure = new RuntimeException("GET https://h/k?sig=" + SECRET, cause);
    failure.addSuppressed(new IllegalArgumentException("password=" + SECRET));

    RuntimeException redacted = Redactor.throwable(failure);

    assertThat(redacted.getMessage()).isEqualTo("java.lang.RuntimeException: GET https://h/k?sig=****");
    assertThat(redacted.getStackTrace()).isEqualTo(failure.getStackTrace());
    assertThat(redacted.getCause().getMessage())
        .isEqualTo("java.lang.IllegalStateException: body: {\"client_secret\":\"****\"}");
    assertThat(redacted.getSuppressed()[0].getMessage()).isEqualTo("java.lang.IllegalArgumentException: password=****");
  }

  @Test
  void returnsNullForNull() {
    assertThat(Redactor.url((String) null)).isNull();
    assertThat(Redactor.text(null)).isNull();
    assertThat(Redactor.json(null)).isNull();
  }
}
