package dev.latchkey.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.s3.SigV4Signer;
import dev.latchkey.signing.ClockSkew;
import dev.latchkey.signing.SignableRequest;
import java.net.URI;
import java.time.Instant;
import java.time.InstantSource;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.Test;

/** The OkHttp URL that {@link S3Transport} builds for a signed request, with the parsed origin reused. */
class S3TransportUrlTest {

  private static final AwsCredentials KEYS = AwsCredentials.of("AKIDEXAMPLE", SecretValue.of("example-secret"));

  private final S3Transport transport = new S3Transport(new OkHttpClient(), SigV4Signer.forS3("us-east-1"),
      () -> KEYS, ClockSkew.create(), InstantSource.fixed(Instant.parse("2026-03-01T12:00:00Z")));

  @Test
  void alternatingOriginsKeepTheirHosts() {
    for (int i = 0; i < 3; i++) {
      Request first = toOkHttp("https://reports.s3.eu-west-1.amazonaws.com/q1.csv");
      Request second = toOkHttp("http://127.0.0.1:9000/archive/q2.csv?versionId=7");

      assertThat(first.url().toString()).isEqualTo("https://reports.s3.eu-west-1.amazonaws.com/q1.csv");
      assertThat(second.url().toString()).isEqualTo("http://127.0.0.1:9000/archive/q2.csv?versionId=7");
    }
  }

  @Test
  void schemeChangeIsANewOrigin() {
    toOkHttp("http://localhost:9000/bucket/key");

    Request https = toOkHttp("https://localhost:9000/bucket/key");

    assertThat(https.url().isHttps()).isTrue();
  }

  @Test
  void encodedPathAndQueryAreSentAsSigned() {
    Request request = toOkHttp("http://127.0.0.1:9000/bucket/a%20b/%2Fc%2B?list-type=2&prefix=x%2Fy");

    assertThat(request.url().encodedPath()).isEqualTo("/bucket/a%20b/%2Fc%2B");
    assertThat(request.url().encodedQuery()).isEqualTo("list-type=2&prefix=x%2Fy");
  }

  @Test
  void pathOkHttpWouldChangeIsRejected() {
    assertThatThrownBy(() -> toOkHttp("http://127.0.0.1:9000/bucket/a/../b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a different object");
  }

  @Test
  void queryOkHttpWouldChangeIsRejected() {
    // OkHttp percent-encodes an apostrophe in a query, so the query on the wire would not be the signed one.
    assertThatThrownBy(() -> toOkHttp("http://127.0.0.1:9000/bucket/key?prefix='x'"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a different object");
  }

  @Test
  void emptyQueryIsSentAsSigned() {
    Request request = toOkHttp("http://127.0.0.1:9000/bucket/key?");

    assertThat(request.url().toString()).isEqualTo("http://127.0.0.1:9000/bucket/key?");
  }

  private Request toOkHttp(String uri) {
    SignableRequest signed = SigV4Signer.forS3("us-east-1")
        .sign(SignableRequest.builder("GET", URI.create(uri)).build(), KEYS, Instant.parse("2026-03-01T12:00:00Z"));
    return transport.toOkHttp(signed, S3Transport.bytes(null));
  }
}
