package dev.latchkey.azure.sas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.azure.internal.HmacSha256;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** Checks SAS strings to sign and signatures against published vectors (see NOTICE). */
class SasVectorsTest {

  private static final JsonNode CASES = load();

  private static JsonNode load() {
    try (InputStream in = SasVectorsTest.class.getResourceAsStream("/azure-storage-vectors/azure-storage-vectors.json")) {
      return new ObjectMapper().readTree(in).get("sas_cases");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void blobSas20130815MatchesGo() {
    JsonNode vector = CASES.get(0);
    BlobSas sas = BlobSas.builder().blob("container", "name").permissions("r").version("2013-08-15")
        .expiresOn(java.time.Instant.parse("2030-01-01T00:00:00Z")).build();

    assertMatches(vector, sas.serviceStringToSign("foo", window(null, vector.at("/params/se").asText())));
  }

  @Test
  void containerSas20130815MatchesGo() {
    JsonNode vector = CASES.get(1);
    BlobSas sas = BlobSas.builder().container("container").permissions("r").version("2013-08-15")
        .expiresOn(java.time.Instant.parse("2030-01-01T00:00:00Z")).build();

    assertMatches(vector, sas.serviceStringToSign("foo", window(null, vector.at("/params/se").asText())));
  }

  @Test
  void blobSas20150405WithIpAndProtocolMatchesGo() {
    JsonNode vector = CASES.get(2);
    BlobSas sas = BlobSas.builder().blob("container", "name").permissions("r").version("2015-04-05")
        .ipRange("127.0.0.1").expiresOn(java.time.Instant.parse("2030-01-01T00:00:00Z")).build();

    assertMatches(vector, sas.serviceStringToSign("foo", window(null, vector.at("/params/se").asText())));
  }

  @Test
  void accountSas20151211MatchesNode() {
    JsonNode vector = CASES.get(3);
    AccountSas sas = AccountSas.builder()
        .services(EnumSet.of(AccountSasService.BLOB))
        .resourceTypes(EnumSet.of(AccountSasResourceType.SERVICE))
        .permissions(EnumSet.of(AccountSasPermission.READ))
        .ipRange(vector.at("/params/sip").asText())
        .version(vector.at("/params/sv").asText())
        .expiresOn(java.time.Instant.parse("2030-01-01T00:00:00Z"))
        .build();

    String stringToSign = sas.stringToSign(vector.get("account").asText(),
        window(vector.at("/params/st").asText(), vector.at("/params/se").asText()));

    assertMatches(vector, stringToSign);
  }

  private static SasGrant.Window window(String start, String expiry) {
    return SasGrant.Window.ofText(start, expiry);
  }

  private static void assertMatches(JsonNode vector, String stringToSign) {
    HmacSha256 mac = HmacSha256.of(Base64.getDecoder().decode(vector.get("account_key_b64").asText()));

    assertThat(stringToSign).isEqualTo(vector.at("/expected/string_to_sign").asText());
    assertThat(mac.signBase64(stringToSign)).isEqualTo(vector.at("/expected/sig").asText());
  }
}
