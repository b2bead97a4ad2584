package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Entra ID tenant of {@link OidcIssuer} and the {@link AppServiceIdentityEndpoint} in front of it. */
class EntraIdentityTest {

  private static final String TENANT = "8f3c2a71-5b0e-4d6a-9c1f-2e7d4b6a0c95";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static OidcIssuer issuer;
  private static AppServiceIdentityEndpoint identityEndpoint;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    issuer = OidcIssuer.builder().entraTenant(TENANT).start();
    identityEndpoint = AppServiceIdentityEndpoint.start(issuer, TENANT, "principal-1", "client-1");
  }

  @AfterAll
  static void stop() {
    identityEndpoint.close();
    issuer.close();
  }

  @Test
  void tenantTokensCarryAzureClaims() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(issuer.authorityHost() + "/" + TENANT + "/oauth2/v2.0/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(
            "grant_type=client_credentials&client_id=app-1&client_secret=s&scope=https%3A%2F%2Fstorage.azure.com%2F.default"))
        .build();

    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode claims = claims(JSON.readTree(response.body()).path("access_token").asText());
    assertThat(claims.path("iss").asText()).isEqualTo("https://sts.windows.net/" + TENANT + "/");
    assertThat(claims.path("aud").asText()).isEqualTo("https://storage.azure.com");
    assertThat(claims.path("tid").asText()).isEqualTo(TENANT);
    assertThat(claims.path("appid").asText()).isEqualTo("app-1");
  }

  @Test
  void identityEndpointIssuesTokenForResource() throws Exception {
    HttpResponse<String> response = identityRequest("?api-version=2019-08-01&resource=https%3A%2F%2Fstorage.azure.com",
        identityEndpoint.environment().get("IDENTITY_HEADER"));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("resource").asText()).isEqualTo("https://storage.azure.com");
    assertThat(Long.parseLong(body.path("expires_on").asText())).isGreaterThan(Instant.now().getEpochSecond());
    JsonNode claims = claims(body.path("access_token").asText());
    assertThat(claims.path("aud").toString()).contains("https://storage.azure.com");
    assertThat(claims.path("iss").asText()).isEqualTo("https://sts.windows.net/" + TENANT + "/");
    assertThat(claims.path("oid").asText()).isEqualTo("principal-1");
  }

  @Test
  void identityEndpointRejectsWrongHeader() throws Exception {
    HttpResponse<String> response = identityRequest("?api-version=2019-08-01&resource=https%3A%2F%2Fstorage.azure.com", "guess");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).doesNotContain(identityEndpoint.environment().get("IDENTITY_HEADER"));
  }

  @Test
  void identityEndpointRejectsUserAssignedIdentity() throws Exception {
    HttpResponse<String> response = identityRequest(
        "?api-version=2019-08-01&resource=https%3A%2F%2Fstorage.azure.com&client_id=other",
        identityEndpoint.environment().get("IDENTITY_HEADER"));

    assertThat(response.statusCode()).isEqualTo(400);
  }

  @Test
  void identityEndpointRejectsOtherApiVersion() throws Exception {
    HttpResponse<String> response = identityRequest("?api-version=2018-02-01&resource=https%3A%2F%2Fstorage.azure.com",
        identityEndpoint.environment().get("IDENTITY_HEADER"));

    assertThat(response.statusCode()).isEqualTo(400);
  }

  private HttpResponse<String> identityRequest(String query, String header) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(identityEndpoint.endpoint() + query))
        .header("X-IDENTITY-HEADER", header)
        .GET()
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode claims(String jwt) throws Exception {
    return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
  }
}
