package dev.latchkey.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.s3.SigV4VectorFiles.RawRequest;
import dev.latchkey.s3.internal.SigV4Engine;
import dev.latchkey.signing.SignableRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The botocore SigV4 test suite in its original layout: {@code .req} is the request, {@code .creq}
 * the canonical request, {@code .sts} the string to sign and {@code .authz} the Authorization header.
 * Every case uses the generic service rules (path normalized and encoded again).
 */
class BotocoreSigningSuiteTest {

  private static final Instant TIME = Instant.parse("2015-08-30T12:36:00Z");

  static Stream<Path> cases() {
    try (Stream<Path> files = Files.walk(SigV4VectorFiles.resource("aws-sigv4-botocore-suite"))) {
      return files.filter(file -> file.toString().endsWith(".req")).map(Path::getParent).sorted().toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void signatureMatchesSuite(Path dir) {
    String name = dir.getFileName().toString();
    RawRequest raw = RawRequest.parse(read(dir, name + ".req"));
    String canonical = read(dir, name + ".creq");
    String token = sessionToken(canonical, read(dir, name + ".sreq"));
    SigV4Signer signer = SigV4Signer.builder().region("us-east-1").service("service")
        .signSessionToken(canonical.contains("\nx-amz-security-token:"))
        .build();
    SigV4Engine.Trace trace = new SigV4Engine.Trace();

    SignableRequest signed = signer.engine().signHeaders(toRequest(raw), raw.path(), credentials(token), TIME, trace);

    assertThat(trace.canonicalRequest).isEqualTo(canonical);
    assertThat(trace.stringToSign).isEqualTo(read(dir, name + ".sts"));
    assertThat(signed.firstHeader("Authorization")).contains(read(dir, name + ".authz"));
  }

  private static AwsCredentials credentials(String token) {
    return AwsCredentials.builder()
        .accessKeyId("AKIDEXAMPLE")
        .secretAccessKey(SecretValue.of("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"))
        .sessionToken(token == null ? null : SecretValue.of(token))
        .build();
  }

  /** Returns the session token the case signs with, from its canonical or its signed request. */
  private static String sessionToken(String canonical, String signedRequest) {
    for (String text : new String[] {canonical, signedRequest}) {
      for (String line : text.split("\n")) {
        if (line.regionMatches(true, 0, "x-amz-security-token:", 0, 21)) {
          return line.substring(21).trim();
        }
      }
    }
    return null;
  }

  private static SignableRequest toRequest(RawRequest raw) {
    SignableRequest.Builder builder = SignableRequest.builder(raw.method(), raw.encodedUri(raw.header("Host")));
    for (String[] header : raw.headers()) {
      builder.addHeader(header[0], header[1]);
    }
    if (!raw.body().isEmpty()) {
      builder.body(raw.body().getBytes(StandardCharsets.UTF_8));
    }
    return builder.build();
  }

  private static String read(Path dir, String file) {
    return SigV4VectorFiles.read(dir.resolve(file));
  }
}
