package dev.latchkey.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.s3.SigV4Signer;
import dev.latchkey.s3.internal.credentials.StsXml;
import dev.latchkey.signing.SignableRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the S3 URI encoder, the SigV4 canonical request and the S3 and STS XML parsers over
 * random keys, headers and documents: no failure but the documented one, and round trips where the
 * format has them.
 */
class S3EncodingAndParsingPropertiesTest {

  private static final AwsCredentials KEYS = AwsCredentials.of("AKIDEXAMPLE", SecretValue.of("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"));
  private static final Instant TIME = Instant.parse("2026-03-01T12:00:00Z");

  @Property(tries = 200)
  void objectKeyEncodingRoundTrips(@ForAll String key) {
    Assume.that(isWellFormedUtf16(key));

    String encoded = UriEncoding.encodeObjectKey(key);

    assertThat(encoded).matches("[A-Za-z0-9\\-._~%/]*");
    assertThat(percentDecode(encoded)).isEqualTo(key);
  }

  @Property(tries = 200)
  void queryComponentEncodingRoundTrips(@ForAll String text) {
    Assume.that(isWellFormedUtf16(text));

    String encoded = UriEncoding.encodeQueryComponent(text);

    assertThat(encoded).matches("[A-Za-z0-9\\-._~%]*");
    assertThat(percentDecode(encoded)).isEqualTo(text);
  }

  @Property(tries = 50)
  void unpairedSurrogateIsRejected(@ForAll @Size(max = 10) String prefix) {
    Assume.that(isWellFormedUtf16(prefix));

    assertThatThrownBy(() -> UriEncoding.encodePath(prefix + '\uD800'))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Property(tries = 200)
  void signatureIgnoresHeaderOrderCaseAndSpaces(@ForAll("headers") Map<String, String> headers, @ForAll long seed) {
    SignableRequest.Builder plain = SignableRequest.builder("GET", URI.create("https://s3.us-east-1.amazonaws.com/bucket/key"));
    SignableRequest.Builder shuffled = SignableRequest.builder("GET", URI.create("https://s3.us-east-1.amazonaws.com/bucket/key"));
    List<Map.Entry<String, String>> entries = new ArrayList<>(headers.entrySet());
    entries.forEach(header -> plain.addHeader(header.getKey(), header.getValue()));
    Collections.shuffle(entries, new Random(seed));
    entries.forEach(header -> shuffled.addHeader(header.getKey().toUpperCase(), "  " + header.getValue().replace(" ", "   ") + " "));
    SigV4Signer signer = SigV4Signer.forS3("us-east-1");

    String first = signer.sign(plain.build(), KEYS, TIME).firstHeader("Authorization").orElseThrow();
    String second = signer.sign(shuffled.build(), KEYS, TIME).firstHeader("Authorization").orElseThrow();

    assertThat(second).isEqualTo(first);
    assertThat(first).doesNotContain(KEYS.secretAccessKey().reveal());
  }

  @Provide
  Arbitrary<Map<String, String>> headers() {
    Arbitrary<String> names = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789-").ofMinLength(1).ofMaxLength(12)
        .map(name -> "x-amz-meta-" + name);
    Arbitrary<String> values = Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(20)
        .list().ofMinSize(1).ofMaxSize(3).map(words -> String.join(" ", words));
    return Arbitraries.maps(names, values).ofMaxSize(8);
  }

  @Property(tries = 200)
  void errorParserAcceptsAnyBytes(@ForAll byte[] body) {
    S3Xml.ErrorDocument document = S3Xml.parseError(body);

    assertThat(document).isNotNull();
  }

  @Property(tries = 200)
  void errorParserReadsCodeAndMessage(@ForAll("xmlText") String code, @ForAll("xmlText") String message,
      @ForAll("xmlText") String noise) {
    Assume.that(!code.isEmpty() && !message.isEmpty());
    String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Extra>" + escape(noise) + "</Extra><Code>" + escape(code)
        + "</Code><Message>" + escape(message) + "</Message><RequestId>r-1</RequestId></Error>";

    S3Xml.ErrorDocument document = S3Xml.parseError(xml.getBytes(StandardCharsets.UTF_8));

    assertThat(document.code()).isEqualTo(code);
    assertThat(document.message()).isEqualTo(message);
    assertThat(document.requestId()).isEqualTo("r-1");
  }

  @Property(tries = 200)
  void listParserFailsOnlyWithIoException(@ForAll("xmlShapes") String xml) {
    try {
      assertThat(S3Xml.parseListV2(xml.getBytes(StandardCharsets.UTF_8))).isNotNull();
    } catch (IOException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @Property(tries = 200)
  void stsParserFailsOnlyWithCredentialException(@ForAll("xmlShapes") String xml) {
    try {
      assertThat(StsXml.parseCredentials(xml, "test STS")).isNotNull();
    } catch (CredentialException expected) {
      assertThat(expected.isRetryable()).isFalse();
      assertThat(expected.getMessage()).contains("test STS");
    }
  }

  @Property(tries = 200)
  void stsParserReadsWhatItWasGiven(@ForAll("xmlText") String keyId, @ForAll("xmlText") String secretText,
      @ForAll("xmlText") String tokenText) {
    Assume.that(!keyId.isBlank());
    String secret = "secret-" + secretText;
    String token = "token-" + tokenText;
    String xml = "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
        + "<AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>" + escape(keyId) + "</AccessKeyId>"
        + "<SecretAccessKey>" + escape(secret) + "</SecretAccessKey><SessionToken>" + escape(token)
        + "</SessionToken><Expiration>2026-03-01T13:00:00Z</Expiration></Credentials>"
        + "</AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>";

    AwsCredentials parsed;
    try {
      parsed = StsXml.parseCredentials(xml, "test STS");
    } catch (CredentialException | IllegalArgumentException rejected) {
      // The builder rejects some key ids, such as ones with white space; the message must name no secret.
      assertThat(rejected.getMessage()).contains("key id").doesNotContain(secret.strip(), token.strip());
      return;
    }

    assertThat(parsed.accessKeyId()).isEqualTo(keyId.strip());
    assertThat(parsed.secretAccessKey().reveal()).isEqualTo(secret.strip());
    assertThat(parsed.sessionToken().orElseThrow().reveal()).isEqualTo(token.strip());
    assertThat(parsed.expiresAt()).contains(Instant.parse("2026-03-01T13:00:00Z"));
  }

  @Provide
  Arbitrary<String> xmlText() {
    return Arbitraries.strings().withCharRange(' ', '~').withChars('é', '→', '\u4e2d').ofMaxLength(30);
  }

  @Provide
  Arbitrary<String> xmlShapes() {
    Arbitrary<String> names = Arbitraries.of("ListBucketResult", "Contents", "Key", "Size", "ETag", "LastModified",
        "IsTruncated", "NextContinuationToken", "CommonPrefixes", "Prefix", "Credentials", "AccessKeyId",
        "SecretAccessKey", "SessionToken", "Expiration", "Error", "x");
    Arbitrary<String> texts = Arbitraries.oneOf(xmlText().map(S3EncodingAndParsingPropertiesTest::escape),
        Arbitraries.of("12", "-1", "true", "2026-03-01T13:00:00Z", "not-a-date", "&amp;", "<!-- c -->", "<![CDATA[x]]>"));
    Arbitrary<String> element = Arbitraries.lazyOf(() -> names.flatMap(name -> texts.map(text -> "<" + name + ">" + text + "</" + name + ">")));
    Arbitrary<String> document = names.flatMap(root -> element.list().ofMaxSize(6)
        .map(children -> "<" + root + ">" + String.join("", children) + "</" + root + ">"));
    Arbitrary<String> cut = document.flatMap(text -> Arbitraries.integers().between(0, text.length()).map(end -> text.substring(0, end)));
    return Arbitraries.oneOf(document, cut, Arbitraries.of("", "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>",
        "{\"json\":true}", "<a><b></a>"));
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static boolean isWellFormedUtf16(String text) {
    return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(text);
  }

  private static String percentDecode(String encoded) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '%') {
        bytes.write(Integer.parseInt(encoded.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
