package dev.latchkey.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.s3.internal.SigV4Engine;
import dev.latchkey.signing.SignableRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The SigV4 examples of the Amazon S3 API Reference, signed through the public signer. */
class S3DocExamplesTest {

  private static final JsonNode EXAMPLES = load();
  private static final Instant TIME = Instant.parse("2013-05-24T00:00:00Z");
  private static final AwsCredentials CREDENTIALS = AwsCredentials.of(
      "AKIAIOSFODNN7EXAMPLE", SecretValue.of("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
  private static final SigV4Signer SIGNER = SigV4Signer.forS3("us-east-1");

  static Stream<JsonNode> headerCases() {
    return StreamSupport.stream(EXAMPLES.get("header_auth_cases").spliterator(), false);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("headerCases")
  void headerSignatureMatchesDocs(JsonNode example) {
    JsonNode request = example.get("request");
    JsonNode expected = example.get("expected");
    SignableRequest.Builder builder = SignableRequest.builder(request.get("method").asText(), uri(request));
    for (Iterator<Map.Entry<String, JsonNode>> it = request.get("headers").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> header = it.next();
      builder.addHeader(header.getKey(), header.getValue().asText());
    }
    builder.body(request.get("payload_utf8").asText().getBytes(StandardCharsets.UTF_8));
    SigV4Engine.Trace trace = new SigV4Engine.Trace();

    SignableRequest signed = SIGNER.engine().signHeaders(builder.build(), CREDENTIALS, TIME, trace);
    SignableRequest viaPublicApi = SIGNER.sign(builder.build(), CREDENTIALS, TIME);

    assertThat(trace.canonicalRequest).isEqualTo(expected.get("canonical_request").asText());
    assertThat(trace.stringToSign).isEqualTo(expected.get("string_to_sign").asText());
    assertThat(signed.firstHeader("Authorization")).contains(expected.get("authorization").asText());
    assertThat(viaPublicApi.firstHeader("Authorization")).contains(expected.get("authorization").asText());
  }

  @Test
  void presignedGetMatchesDocs() {
    JsonNode example = EXAMPLES.get("presigned_url_cases").get(0);
    JsonNode request = example.get("request");
    SigV4Engine.Trace trace = new SigV4Engine.Trace();
    SignableRequest get = SignableRequest.builder("GET", uri(request)).build();
    Duration expiry = Duration.ofSeconds(request.get("expires_seconds").asLong());

    SIGNER.engine().presign(get, CREDENTIALS, TIME, expiry.getSeconds(), trace);
    PresignedUrl presigned = SIGNER.presign(get, CREDENTIALS, TIME, expiry);

    assertThat(trace.canonicalRequest).isEqualTo(example.get("expected").get("canonical_request").asText());
    URI expectedUrl = URI.create(example.get("expected").get("url").asText());
    assertThat(presigned.uri().getRawPath()).isEqualTo(expectedUrl.getRawPath());
    // The parameter order on the wire is free; the doc lists X-Amz-Expires before X-Amz-SignedHeaders.
    assertThat(presigned.uri().getRawQuery().split("&"))
        .containsExactlyInAnyOrder(expectedUrl.getRawQuery().split("&"));
  }

  @Test
  void signingKeyMatchesDocs() {
    SigV4Engine.Trace trace = new SigV4Engine.Trace();

    SIGNER.engine().signHeaders(SignableRequest.builder("GET", URI.create("https://examplebucket.s3.amazonaws.com/"))
        .build(), CREDENTIALS, TIME, trace);

    assertThat(java.util.HexFormat.of().formatHex(trace.signingKey))
        .isEqualTo(EXAMPLES.get("common").get("signing_key_hex").asText());
  }

  private static URI uri(JsonNode request) {
    String query = request.path("query").asText("");
    return URI.create("https://" + request.get("host").asText() + request.get("path").asText()
        + (query.isEmpty() ? "" : "?" + query));
  }

  private static JsonNode load() {
    try {
      return new ObjectMapper().readTree(
          SigV4VectorFiles.resource("s3-sigv4-doc-examples/s3-sigv4-examples.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
