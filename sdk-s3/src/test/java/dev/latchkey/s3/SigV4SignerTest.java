package dev.latchkey.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.s3.internal.SigV4Engine;
import dev.latchkey.signing.ClockSkew;
import dev.latchkey.signing.SignableRequest;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

class SigV4SignerTest {

  private static final Instant TIME = Instant.parse("2026-03-01T10:00:00Z");
  private static final AwsCredentials KEYS = AwsCredentials.of("AKIDTEST", SecretValue.of("secret-key"));
  private final SigV4Signer signer = SigV4Signer.forS3("eu-west-1");

  @Test
  void signsHostWithNonDefaultPort() {
    SigV4Engine.Trace trace = new SigV4Engine.Trace();

    signer.engine().signHeaders(get("http://127.0.0.1:9000/bucket/key"), KEYS, TIME, trace);

    assertThat(trace.canonicalRequest).contains("\nhost:127.0.0.1:9000\n");
  }

  @Test
  void omitsDefaultPortFromHost() {
    SigV4Engine.Trace trace = new SigV4Engine.Trace();

    signer.engine().signHeaders(get("https://bucket.s3.amazonaws.com:443/key"), KEYS, TIME, trace);

    assertThat(trace.canonicalRequest).contains("\nhost:bucket.s3.amazonaws.com\n");
  }

  @Test
  void writesValuelessParameterWithEquals() {
    SigV4Engine.Trace trace = new SigV4Engine.Trace();

    signer.engine().signHeaders(get("https://s3.amazonaws.com/bucket/key?uploads"), KEYS, TIME, trace);

    assertThat(trace.canonicalRequest.split("\n")[2]).isEqualTo("uploads=");
  }

  @Test
  void sortsParametersByEncodedNameThenValue() {
    SigV4Engine.Trace trace = new SigV4Engine.Trace();

    signer.engine().signHeaders(get("https://h.example/b?b=2&a=z&a=y&A=1&%7e=t"), KEYS, TIME, trace);

    assertThat(trace.canonicalRequest.split("\n")[2]).isEqualTo("A=1&a=y&a=z&b=2&~=t");
  }

  @Test
  void encodesReservedQueryBytesUpperCase() {
    SigV4Engine.Trace trace = new SigV4Engine.Trace();

    signer.engine().signHeaders(get("https://h.example/b?prefix=a%2fb+c*%C3%A9"), KEYS, TIME, trace);

    assertThat(trace.canonicalRequest.split("\n")[2]).isEqualTo("prefix=a%2Fb%2Bc%2A%C3%A9");
  }

  @Test
  void signsS3PathWithoutNormalizing() {
    SigV4Engine.Trace trace = new SigV4Engine.Trace();

    signer.engine().signHeaders(get("https://h.example/b//a/./c/../d%20e"), KEYS, TIME, trace);

    assertThat(trace.canonicalRequest.split("\n")[1]).isEqualTo("/b//a/./c/../d%20e");
  }

  @Test
  void resigningReplacesEarlierSignature() {
    SignableRequest first = signer.sign(get("https://h.example/b/k"), KEYS, TIME);

    SignableRequest second = signer.sign(first, KEYS, TIME.plusSeconds(60));

    assertThat(second.headerValues("Authorization")).hasSize(1);
    assertThat(second.headerValues("X-Amz-Date")).containsExactly("20260301T100100Z");
    assertThat(second.firstHeader("Authorization")).isNotEqualTo(first.firstHeader("Authorization"));
  }

  @Test
  void signsSessionTokenHeader() {
    AwsCredentials temporary = AwsCredentials.builder().accessKeyId("ASIATEST")
        .secretAccessKey(SecretValue.of("s")).sessionToken(SecretValue.of("token/+=")).build();

    SignableRequest signed = signer.sign(get("https://h.example/b/k"), temporary, TIME);

    assertThat(signed.firstHeader("X-Amz-Security-Token")).contains("token/+=");
    assertThat(signed.firstHeader("Authorization").orElseThrow()).contains("x-amz-security-token");
  }

  @Test
  void presignsSessionTokenInQuery() {
    AwsCredentials temporary = AwsCredentials.builder().accessKeyId("ASIATEST")
        .secretAccessKey(SecretValue.of("s")).sessionToken(SecretValue.of("token/+=")).build();

    PresignedUrl presigned = signer.presign(get("https://h.example/b/k"), temporary, TIME, Duration.ofMinutes(5));

    assertThat(presigned.uri().getRawQuery()).contains("X-Amz-Security-Token=token%2F%2B%3D");
    assertThat(presigned.uri().getRawQuery()).contains("X-Amz-Expires=300");
  }

  @Test
  void presignKeepsQueryAheadOfSigV4Parameters() {
    PresignedUrl presigned = signer.presign(get("https://h.example/b/k?versionId=v%2B1#frag"), KEYS, TIME,
        Duration.ofMinutes(5));

    assertThat(presigned.uri().getRawQuery()).startsWith("versionId=v%2B1&X-Amz-Algorithm=AWS4-HMAC-SHA256&");
    assertThat(presigned.uri().getRawQuery()).contains("&X-Amz-Credential=AKIDTEST%2F20260301%2Feu-west-1%2Fs3%2F");
    assertThat(presigned.uri().getRawFragment()).isNull();
  }

  @Test
  void presignKeepsNonAsciiPathAsGiven() {
    SignableRequest unicode = get("https://h.example/b/caf\u00e9");
    SignableRequest escaped = get("https://h.example/b/caf%C3%A9");

    URI presigned = signer.presign(unicode, KEYS, TIME, Duration.ofMinutes(5)).uri();
    URI presignedEscaped = signer.presign(escaped, KEYS, TIME, Duration.ofMinutes(5)).uri();

    assertThat(presigned.getRawPath()).isEqualTo("/b/caf\u00e9");
    assertThat(presigned.getRawQuery()).isEqualTo(presignedEscaped.getRawQuery());
  }

  @Test
  void rejectsPresignExpiryOutOfRange() {
    assertThatThrownBy(() -> signer.presign(get("https://h.example/b/k"), KEYS, TIME, Duration.ofDays(8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT192H");
    assertThatThrownBy(() -> signer.presign(get("https://h.example/b/k"), KEYS, TIME, Duration.ofMillis(500)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT0.5S");
  }

  @Test
  void presignerCapsExpiryAtCredentialExpiry() {
    AwsCredentials shortLived = AwsCredentials.builder().accessKeyId("ASIATEST").secretAccessKey(SecretValue.of("s"))
        .expiresAt(TIME.plusSeconds(600)).build();
    SigV4Presigner presigner = SigV4Presigner.builder().signer(signer).clock(InstantSource.fixed(TIME)).build();

    PresignedUrl presigned = presigner.presign(get("https://h.example/b/k"), shortLived, Duration.ofHours(1));

    assertThat(presigned.uri().getRawQuery()).contains("X-Amz-Expires=600");
  }

  @Test
  void presignerStartsAtServerTime() {
    ClockSkew skew = ClockSkew.create();
    skew.update(TIME, TIME.plusSeconds(3600));
    SigV4Presigner presigner = SigV4Presigner.builder().signer(signer).clock(InstantSource.fixed(TIME))
        .clockSkew(skew).build();

    PresignedUrl presigned = presigner.presign(get("https://h.example/b/k"), KEYS, Duration.ofMinutes(1));

    assertThat(presigned.uri().getRawQuery()).contains("X-Amz-Date=20260301T110000Z");
  }

  @Test
  void presignerRejectsCredentialAboutToExpire() {
    AwsCredentials expiring = AwsCredentials.builder().accessKeyId("ASIATEST").secretAccessKey(SecretValue.of("s"))
        .expiresAt(TIME.plusMillis(200)).build();
    SigV4Presigner presigner = SigV4Presigner.builder().signer(signer).clock(InstantSource.fixed(TIME)).build();

    assertThatThrownBy(() -> presigner.presign(get("https://h.example/b/k"), expiring, Duration.ofMinutes(1)))
        .isInstanceOf(CredentialException.class)
        .hasMessageContaining("ASIATEST");
  }

  @Test
  void presignedUrlReportsMethodHeadersAndExpiry() {
    SignableRequest put = SignableRequest.builder("PUT", URI.create("https://h.example/b/k"))
        .addHeader("x-amz-meta-owner", "team-a").build();

    PresignedUrl presigned = signer.presign(put, KEYS, TIME.plusMillis(700), Duration.ofMinutes(5));

    assertThat(presigned.method()).isEqualTo("PUT");
    assertThat(presigned.headers()).isEqualTo(put.headers());
    assertThat(presigned.signingTime()).isEqualTo(TIME);
    assertThat(presigned.expiresAt()).isEqualTo(TIME.plusSeconds(300));
    assertThat(presigned.uri().toString()).isEqualTo(presigned.url());
    assertThat(presigned.url()).contains("X-Amz-SignedHeaders=host%3Bx-amz-meta-owner&");
  }

  @Test
  void presignedUrlToStringOmitsQuery() {
    AwsCredentials temporary = AwsCredentials.builder().accessKeyId("ASIATEST")
        .secretAccessKey(SecretValue.of("s")).sessionToken(SecretValue.of("session-token-value")).build();

    PresignedUrl presigned = signer.presign(get("https://h.example/b/k?versionId=7"), temporary, TIME,
        Duration.ofMinutes(5));

    assertThat(presigned.url()).contains("session-token-value");
    assertThat(presigned.toString()).doesNotContain("session-token-value");
    assertThat(presigned.toString()).doesNotContain("X-Amz-Signature");
    assertThat(presigned.toString()).contains("GET https://h.example/b/k");
  }

  @Test
  void switchesScopeBetweenCredentialsAndSigners() {
    AwsCredentials other = AwsCredentials.of("AKIDOTHER", SecretValue.of("other-secret"));
    SigV4Signer sts = SigV4Signer.builder().region("us-east-2").service("sts").build();

    String first = authorization(signer, KEYS, TIME);
    String second = authorization(signer, other, TIME);
    String third = authorization(sts, other, TIME);
    String nextDay = authorization(signer, KEYS, TIME.plusSeconds(86_400));

    assertThat(first).startsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/20260301/eu-west-1/s3/aws4_request, ");
    assertThat(second).startsWith("AWS4-HMAC-SHA256 Credential=AKIDOTHER/20260301/eu-west-1/s3/aws4_request, ");
    assertThat(third).startsWith("AWS4-HMAC-SHA256 Credential=AKIDOTHER/20260301/us-east-2/sts/aws4_request, ");
    assertThat(nextDay).startsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/20260302/eu-west-1/s3/aws4_request, ");
    assertThat(authorization(signer, KEYS, TIME)).isEqualTo(first);
    assertThat(signatureOf(second)).isNotEqualTo(signatureOf(first));
  }

  private static String authorization(SigV4Signer signer, AwsCredentials credentials, Instant time) {
    return signer.sign(get("https://h.example/b/k"), credentials, time).firstHeader("Authorization").orElseThrow();
  }

  private static String signatureOf(String authorization) {
    return authorization.substring(authorization.indexOf("Signature=") + "Signature=".length());
  }

  @Test
  void rejectsInvalidRegion() {
    assertThatThrownBy(() -> SigV4Signer.builder().region("US East"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("region 'US East'");
  }

  @Test
  void rejectsMissingRegion() {
    assertThatThrownBy(() -> SigV4Signer.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("region");
  }

  @Test
  void toStringShowsNoSecret() {
    assertThat(signer.toString()).doesNotContain("secret-key");
    SigV4Engine.Trace trace = new SigV4Engine.Trace();
    signer.engine().signHeaders(get("https://h.example/b/k"), KEYS, TIME, trace);
    assertThat(new dev.latchkey.s3.internal.SigningKeyCache.SigningKey("20260301", trace.signingKey).toString())
        .isEqualTo("SigningKey[dateStamp=20260301]");
  }

  @Test
  void chunkedEncodedLengthCountsFraming() {
    // 8 KiB + 1 byte: chunk "2000;chunk-signature=<64>\r\n<8192>\r\n", "1;...\r\nX\r\n", "0;...\r\n\r\n".
    long expected = (4 + 17 + 64 + 2 + 8192 + 2) + (1 + 17 + 64 + 2 + 1 + 2) + (1 + 17 + 64 + 2 + 2);

    assertThat(ChunkedUploadSigner.encodedLength(8193, 8192)).isEqualTo(expected);
  }

  private static SignableRequest get(String uri) {
    return SignableRequest.builder("GET", URI.create(uri)).build();
  }
}
