package dev.latchkey.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.azure.internal.HmacSha256;
import dev.latchkey.azure.internal.HttpDates;
import dev.latchkey.azure.internal.PercentCoding;
import dev.latchkey.azure.internal.SharedKeyStrings;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.SharedKey;
import dev.latchkey.signing.SignableRequest;
import dev.latchkey.signing.SignableRequest.Header;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks the Shared Key and Shared Key Lite strings to sign and signatures against published
 * vectors (see NOTICE). Table service cases are left out: this module signs Blob requests only.
 */
class SharedKeySignerVectorsTest {

  private static final JsonNode VECTORS = load();

  private static JsonNode load() {
    try (InputStream in = SharedKeySignerVectorsTest.class.getResourceAsStream(
        "/azure-storage-vectors/azure-storage-vectors.json")) {
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<JsonNode> dashCases() {
    List<JsonNode> cases = new ArrayList<>();
    VECTORS.at("/shared_key_request_cases/dash/cases").forEach(cases::add);
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dashCases")
  void dashRequestsSignAsPublished(JsonNode vector) {
    JsonNode dash = VECTORS.at("/shared_key_request_cases/dash");
    SharedKey key = SharedKey.of(dash.get("account").asText(), SecretValue.of(dash.get("account_key_b64").asText()));
    SharedKeySigner signer = SharedKeySigner.builder()
        .scheme(vector.get("scheme").asText().equals("SharedKeyLite")
            ? SharedKeySigner.Scheme.SHARED_KEY_LITE : SharedKeySigner.Scheme.SHARED_KEY)
        .build();
    SignableRequest request = dashRequest(vector, key.accountName());

    SignableRequest signed = signer.sign(request, key, HttpDates.parse(request.firstHeader("x-ms-date").orElseThrow()));

    assertThat(signer.stringToSign(signed, key.accountName()))
        .isEqualTo(vector.at("/expected/string_to_sign").asText());
    assertThat(signed.firstHeader("Authorization")).contains(vector.at("/expected/authorization").asText());
  }

  @Test
  void rawHmacMatchesGoVector() {
    JsonNode vector = VECTORS.at("/shared_key_request_cases/go").get(1);
    HmacSha256 mac = HmacSha256.of(Base64.getDecoder().decode(vector.get("account_key_b64").asText()));

    String signature = mac.signBase64(vector.at("/expected/string_to_sign").asText());

    assertThat("SharedKey golangrocksonazure:" + signature)
        .isEqualTo(vector.at("/expected/authorization_sharedkey").asText());
  }

  @Test
  void hmacMatchesNodeVector() {
    JsonNode vector = VECTORS.at("/shared_key_request_cases/node").get(0);
    HmacSha256 mac = HmacSha256.of(Base64.getDecoder().decode(vector.get("account_key_b64").asText()));

    String signature = mac.signBase64(vector.at("/expected/string_to_sign").asText());

    assertThat("SharedKey devstoreaccount1:" + signature).isEqualTo(vector.at("/expected/authorization").asText());
  }

  @Test
  void blobResourcesCanonicalizeAsPublished() {
    int checked = 0;
    for (JsonNode vector : VECTORS.at("/canonicalization_only_cases_go/canonicalized_resource")) {
      if (!vector.get(1).asText().equals("SharedKey") || !vector.get(0).asText().contains(".blob.")) {
        continue;
      }
      URI uri = URI.create(vector.get(0).asText().replace(" ", "%20"));

      assertThat(SharedKeyStrings.canonicalizedResource("golangrocksonazure", uri))
          .as(vector.get(0).asText())
          .isEqualTo(vector.get(2).asText());
      checked++;
    }
    assertThat(checked).isEqualTo(8);
  }

  @Test
  void headersCanonicalizeAsPublished() {
    for (JsonNode vector : VECTORS.at("/canonicalization_only_cases_go/canonicalized_headers")) {
      List<Header> headers = new ArrayList<>();
      vector.get(0).fields().forEachRemaining(e -> headers.add(new Header(e.getKey(), e.getValue().asText())));
      String expected = vector.get(1).asText();

      assertThat(SharedKeyStrings.canonicalizedHeaders(headers))
          .as(vector.get(0).toString())
          .isEqualTo(expected.isEmpty() ? "" : expected + "\n");
    }
  }

  @Test
  void sharedKeyStringMatchesGoLayout() {
    JsonNode vector = VECTORS.at("/canonicalization_only_cases_go/canonicalized_string").get(0);
    String expected = vector.get("expected").asText();
    String resource = vector.get("canonicalized_resource").asText();
    SignableRequest request = SignableRequest.builder("GET",
            URI.create("https://myaccount.blob.core.windows.net/mycontainer?restype=container&comp=metadata&timeout=20"))
        .addHeader("x-ms-date", vector.at("/headers/x-ms-date").asText())
        .addHeader("x-ms-version", vector.at("/headers/x-ms-version").asText())
        .build();

    String stringToSign = SharedKeyStrings.stringToSign(request, "myaccount");

    // The published resource has a raw space in the path, which no request URI can carry, so only
    // the header part is compared here and the resource rules are checked above.
    String headerPart = expected.substring(0, expected.indexOf(resource));
    assertThat(stringToSign).startsWith(headerPart);
    assertThat(stringToSign.substring(headerPart.length()))
        .isEqualTo("/myaccount/mycontainer\ncomp:metadata\nrestype:container\ntimeout:20");
  }

  @Test
  void sharedKeyLiteStringMatchesGoLayout() {
    JsonNode vector = VECTORS.at("/canonicalization_only_cases_go/canonicalized_string").get(2);
    SignableRequest.Builder request = SignableRequest.builder("PUT",
        URI.create("https://testaccount1.blob.core.windows.net/mycontainer/hello.txt"));
    vector.get("headers").fields().forEachRemaining(e -> request.addHeader(e.getKey(), e.getValue().asText()));

    assertThat(SharedKeyStrings.liteStringToSign(request.build(), "testaccount1"))
        .isEqualTo(vector.get("expected").asText());
  }

  private static SignableRequest dashRequest(JsonNode vector, String account) {
    StringBuilder query = new StringBuilder();
    for (JsonNode parameter : vector.get("query")) {
      query.append(query.length() == 0 ? "?" : "&")
          .append(PercentCoding.encodeQueryComponent(parameter.get(0).asText())).append('=')
          .append(PercentCoding.encodeQueryComponent(parameter.get(1).asText()));
    }
    URI uri = URI.create("https://" + account + ".blob.core.windows.net" + vector.get("url_path").asText() + query);
    SignableRequest.Builder request = SignableRequest.builder(vector.get("method").asText(), uri);
    for (JsonNode header : vector.get("headers")) {
      request.addHeader(header.get(0).asText(), header.get(1).asText());
    }
    return request.build();
  }
}
