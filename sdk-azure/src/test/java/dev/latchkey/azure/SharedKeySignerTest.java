package dev.latchkey.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.SharedKey;
import dev.latchkey.signing.SignableRequest;
import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SharedKeySignerTest {

  private static final String KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
  private static final SharedKey ACCOUNT = SharedKey.of("devstoreaccount1", SecretValue.of(KEY));
  private static final Instant TIME = Instant.parse("2026-03-05T07:08:09Z");
  private final SharedKeySigner signer = SharedKeySigner.create();

  @Test
  void zeroLengthIsEmptyFromVersion20150221() {
    SignableRequest request = put("2015-02-21");

    String stringToSign = signer.stringToSign(signer.sign(request, ACCOUNT, TIME), "devstoreaccount1");

    assertThat(stringToSign.split("\n", -1)[3]).isEmpty();
  }

  @Test
  void zeroLengthIsWrittenBeforeVersion20150221() {
    SignableRequest request = put("2014-02-14");

    String stringToSign = signer.stringToSign(signer.sign(request, ACCOUNT, TIME), "devstoreaccount1");

    assertThat(stringToSign.split("\n", -1)[3]).isEqualTo("0");
  }

  @Test
  void underscoreSortsBeforeDigitsAndLetters() {
    SignableRequest request = SignableRequest.builder("PUT", URI.create("https://devstoreaccount1.blob.core.windows.net/c/b"))
        .addHeader("x-ms-meta-ia", "3").addHeader("x-ms-meta-i0", "2").addHeader("x-ms-meta-i_", "1")
        .addHeader("x-ms-meta-i", "0").build();

    // The first signature comes from the general form, the next from the layout kept per thread.
    SignableRequest first = signer.sign(request, ACCOUNT, TIME);
    SignableRequest second = signer.sign(request, ACCOUNT, TIME);
    SignableRequest third = signer.sign(request, ACCOUNT, TIME);

    assertThat(signer.stringToSign(first, "devstoreaccount1"))
        .contains("\nx-ms-meta-i:0\nx-ms-meta-i_:1\nx-ms-meta-i0:2\nx-ms-meta-ia:3\n");
    assertThat(second.firstHeader("Authorization")).isEqualTo(first.firstHeader("Authorization"));
    assertThat(third.firstHeader("Authorization")).isEqualTo(first.firstHeader("Authorization"));
  }

  @Test
  void pathStyleUrlNamesAccountTwice() {
    SignableRequest request = SignableRequest.builder("GET",
        URI.create("http://127.0.0.1:10000/devstoreaccount1/reports/q1%20report.csv")).build();

    String stringToSign = signer.stringToSign(signer.sign(request, ACCOUNT, TIME), "devstoreaccount1");

    assertThat(stringToSign).endsWith("\n/devstoreaccount1/devstoreaccount1/reports/q1%20report.csv");
  }

  @Test
  void accountHostUrlNamesAccountOnce() {
    SignableRequest request = SignableRequest.builder("GET",
        URI.create("https://devstoreaccount1.blob.core.windows.net/reports/a.csv")).build();

    String stringToSign = signer.stringToSign(signer.sign(request, ACCOUNT, TIME), "devstoreaccount1");

    assertThat(stringToSign).endsWith("\n/devstoreaccount1/reports/a.csv");
  }

  @Test
  void queryParametersDecodeSortAndJoinInOrder() {
    SignableRequest request = SignableRequest.builder("GET", URI.create(
        "https://a.blob.core.windows.net/c?restype=container&comp=list&Prefix=a%2Fb%20c&include=zeta&INCLUDE=alpha"))
        .build();

    String stringToSign = signer.stringToSign(request, "a");

    assertThat(stringToSign).endsWith(
        "\n/a/c\ncomp:list\ninclude:zeta,alpha\nprefix:a/b c\nrestype:container");
  }

  @Test
  void msHeadersLowerCaseSortTrimAndJoin() {
    SignableRequest request = SignableRequest.builder("GET", URI.create("https://a.blob.core.windows.net/c/b"))
        .addHeader("X-MS-Meta-Zed", "  last ")
        .addHeader("x-ms-meta-alpha", "one")
        .addHeader("x-ms-meta-alpha", " two")
        .addHeader("X-Other", "ignored")
        .build();

    String stringToSign = signer.stringToSign(request, "a");

    assertThat(stringToSign).contains("\nx-ms-meta-alpha:one,two\nx-ms-meta-zed:last\n/a/c/b");
    assertThat(stringToSign).doesNotContain("ignored");
  }

  @Test
  void signAddsDateVersionAndAuthorization() {
    SignableRequest request = SignableRequest.builder("GET", URI.create("https://a.blob.core.windows.net/c/b")).build();

    SignableRequest signed = signer.sign(request, ACCOUNT, TIME);

    assertThat(signed.firstHeader("x-ms-date")).contains("Thu, 05 Mar 2026 07:08:09 GMT");
    assertThat(signed.firstHeader("x-ms-version")).contains(SharedKeySigner.DEFAULT_SERVICE_VERSION);
    assertThat(signed.firstHeader("Authorization")).hasValueSatisfying(
        value -> assertThat(value).matches("SharedKey devstoreaccount1:[A-Za-z0-9+/]{43}="));
    assertThat(request.firstHeader("Authorization")).isEmpty();
  }

  @Test
  void signKeepsRequestVersion() {
    SignableRequest request = put("2021-08-06");

    SignableRequest signed = signer.sign(request, ACCOUNT, TIME);

    assertThat(signed.headerValues("x-ms-version")).containsExactly("2021-08-06");
  }

  @Test
  void rotatedKeyChangesSignature() {
    SignableRequest request = put("2025-11-05");
    SharedKey secondary = SharedKey.of("devstoreaccount1", SecretValue.of("c2Vjb25kYXJ5LWtleS1ieXRlcw=="));

    String first = signer.sign(request, ACCOUNT, TIME).firstHeader("Authorization").orElseThrow();
    String second = signer.sign(request, secondary, TIME).firstHeader("Authorization").orElseThrow();
    String again = signer.sign(request, ACCOUNT, TIME).firstHeader("Authorization").orElseThrow();

    assertThat(second).isNotEqualTo(first);
    assertThat(again).isEqualTo(first);
  }

  @Test
  void builderRejectsInvalidVersion() {
    assertThatThrownBy(() -> SharedKeySigner.builder().serviceVersion("latest"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'latest'")
        .hasMessageContaining("serviceVersion");
  }

  @Test
  void toStringShowsNoKey() {
    signer.sign(put("2025-11-05"), ACCOUNT, TIME);

    assertThat(signer.toString()).doesNotContain(KEY).contains("SharedKey");
  }

  private static SignableRequest put(String version) {
    return SignableRequest.builder("PUT", URI.create("https://devstoreaccount1.blob.core.windows.net/c/b"))
        .addHeader("Content-Length", "0")
        .addHeader("x-ms-version", version)
        .addHeader("x-ms-blob-type", "BlockBlob")
        .build();
  }
}
