package dev.latchkey.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.s3.SigV4VectorFiles.RawRequest;
import dev.latchkey.s3.internal.SigV4Engine;
import dev.latchkey.signing.SignableRequest;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The v4 cases of the aws-c-auth signing test suite, each signed as a header and as a presigned
 * query. {@code context.json} gives the credentials, time, scope and whether the service normalizes
 * the path (every service but S3), signs the body, or adds the session token after signing.
 */
class AwsSigningSuiteTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Path> cases() {
    return SigV4VectorFiles.directories(SigV4VectorFiles.resource("aws-sigv4-suite/v4"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void headerSignatureMatchesSuite(Path dir) throws IOException {
    Case c = Case.load(dir);
    SigV4Engine.Trace trace = new SigV4Engine.Trace();

    SignableRequest signed = c.signer.engine().signHeaders(c.request, c.wirePath(), c.credentials, c.time, trace);

    assertThat(trace.canonicalRequest).isEqualTo(c.expected("header-canonical-request.txt"));
    assertThat(trace.stringToSign).isEqualTo(c.expected("header-string-to-sign.txt"));
    assertThat(trace.signature).isEqualTo(c.expected("header-signature.txt"));
    assertThat(signed.firstHeader("Authorization")).contains(c.expectedHeader("header-signed-request.txt", "Authorization"));
    assertThat(signed.firstHeader("X-Amz-Date")).contains(c.expectedHeader("header-signed-request.txt", "X-Amz-Date"));
    if (c.credentials.sessionToken().isPresent()) {
      assertThat(signed.firstHeader("X-Amz-Security-Token")).contains(c.credentials.sessionToken().get().reveal());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void publicSignMatchesSuiteWhenPathIsAUri(Path dir) throws IOException {
    Case c = Case.load(dir);
    URI uri;
    try {
      uri = new URI("https://" + c.raw.header("Host") + c.wirePath()
          + (c.raw.query() == null ? "" : "?" + c.raw.query()));
    } catch (URISyntaxException e) {
      // A space cannot be part of a java.net.URI path, so a request that sends one unencoded
      // is signed through the engine's raw-path entry in the test above.
      assertThat(c.wirePath()).contains(" ");
      return;
    }
    SignableRequest request = c.request.toBuilder().uri(uri).build();

    SignableRequest signed = c.signer.sign(request, c.credentials, c.time);

    assertThat(signed.firstHeader("Authorization")).contains(c.expectedHeader("header-signed-request.txt", "Authorization"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void presignedQueryMatchesSuite(Path dir) throws IOException {
    Case c = Case.load(dir);
    SigV4Engine.Trace trace = new SigV4Engine.Trace();

    String presignedUrl = c.signer.engine().presign(c.request, c.wirePath(), c.credentials, c.time,
        c.context.get("expiration_in_seconds").asLong(), trace);

    assertThat(trace.canonicalRequest).isEqualTo(c.expected("query-canonical-request.txt"));
    assertThat(trace.stringToSign).isEqualTo(c.expected("query-string-to-sign.txt"));
    assertThat(trace.signature).isEqualTo(c.expected("query-signature.txt"));
    assertThat(URI.create(presignedUrl).getRawQuery()).isEqualTo(c.expectedPresignedQuery());
  }

  /** One suite case: the request, the signer its context describes, and the expected files. */
  private static final class Case {
    final Path dir;
    final JsonNode context;
    final RawRequest raw;
    final SignableRequest request;
    final SigV4Signer signer;
    final AwsCredentials credentials;
    final Instant time;

    private Case(Path dir) throws IOException {
      this.dir = dir;
      this.context = JSON.readTree(dir.resolve("context.json").toFile());
      this.raw = RawRequest.parse(SigV4VectorFiles.read(dir.resolve("request.txt")));
      this.request = toRequest(raw);
      JsonNode creds = context.get("credentials");
      AwsCredentials.Builder credentialsBuilder = AwsCredentials.builder()
          .accessKeyId(creds.get("access_key_id").asText())
          .secretAccessKey(SecretValue.of(creds.get("secret_access_key").asText()));
      if (creds.has("token")) {
        credentialsBuilder.sessionToken(SecretValue.of(creds.get("token").asText()));
      }
      this.credentials = credentialsBuilder.build();
      this.time = Instant.parse(context.get("timestamp").asText());
      this.signer = SigV4Signer.builder()
          .region(context.get("region").asText())
          .service(context.get("service").asText())
          .uriRules(normalizes() ? SigV4Signer.UriRules.STANDARD : SigV4Signer.UriRules.S3)
          .contentSha256Header(context.get("sign_body").asBoolean())
          .signSessionToken(!context.path("omit_session_token").asBoolean(false))
          .build();
    }

    static Case load(Path dir) throws IOException {
      return new Case(dir);
    }

    boolean normalizes() {
      return context.get("normalize").asBoolean();
    }

    /**
     * Returns the path as sent. The suite writes the request line unencoded; under the S3 rules the
     * wire form is that path encoded once, and under the other rules it is the path itself, which the
     * signer then encodes (the suite's "double" encoding of an unencoded path).
     */
    String wirePath() {
      return normalizes() ? raw.path() : request.uri().getRawPath();
    }

    String expected(String file) {
      return SigV4VectorFiles.read(dir.resolve(file));
    }

    String expectedHeader(String file, String name) {
      for (String line : expected(file).split("\n")) {
        if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
          return line.substring(name.length() + 1);
        }
      }
      throw new AssertionError(file + " has no header " + name);
    }

    String expectedPresignedQuery() {
      String requestLine = expected("query-signed-request.txt").split("\n")[0];
      String target = requestLine.substring(requestLine.indexOf(' ') + 1, requestLine.lastIndexOf(' '));
      return target.substring(target.indexOf('?') + 1);
    }

    private static SignableRequest toRequest(RawRequest raw) {
      URI uri = raw.encodedUri(raw.header("Host"));
      SignableRequest.Builder builder = SignableRequest.builder(raw.method(), uri);
      for (String[] header : raw.headers()) {
        builder.addHeader(header[0], header[1]);
      }
      if (!raw.body().isEmpty()) {
        builder.body(raw.body().getBytes(StandardCharsets.UTF_8));
      }
      return builder.build();
    }
  }
}
