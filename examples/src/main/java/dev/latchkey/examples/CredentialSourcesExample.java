package dev.latchkey.examples;

import dev.latchkey.auth.ClientAuthentication;
import dev.latchkey.auth.ClientCredentialsProvider;
import dev.latchkey.auth.JwtBearerProvider;
import dev.latchkey.auth.TokenExchangeProvider;
import dev.latchkey.auth.TokenEndpoint;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.ApiKey;
import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.providers.CredentialChainException;
import dev.latchkey.credentials.providers.EnvironmentCredentialProvider;
import dev.latchkey.credentials.providers.FileCredentialProvider;
import dev.latchkey.credentials.providers.StaticCredentialProvider;
import dev.latchkey.azure.identity.DefaultAzureCredentials;
import dev.latchkey.s3.credentials.AssumeRoleCredentialsProvider;
import dev.latchkey.s3.credentials.DefaultAwsCredentialsChain;
import dev.latchkey.s3.credentials.WebIdentityCredentialsProvider;
import dev.latchkey.testkit.Sandbox;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One credential of each common kind, fetched from its source: a static key, an environment
 * variable, a file that is rotated while the program runs, OAuth 2.0 client credentials, token
 * exchange and the JWT bearer grant, STS AssumeRoleWithWebIdentity and AssumeRole, and the default
 * AWS and Azure chains outside the clouds, which report why each of their sources (IMDS, container
 * endpoints, profiles, managed identity, workload identity federation) did not apply. Every credential prints without its secret.
 *
 * <p>Run from the repository root: {@code mvn -B -ntp -Pdemo -DskipTests package
 * -Ddemo.mainClass=dev.latchkey.examples.CredentialSourcesExample}
 */
public final class CredentialSourcesExample {

  private CredentialSourcesExample() {}

  public static void main(String[] args) throws IOException {
    ApiKey fixed = StaticCredentialProvider.of(ApiKey.of(SecretValue.of("static-api-key"), "gateway-key", null)).fetch();
    System.out.println("static:       " + fixed);

    Map<String, String> environment = Map.of("REPORTS_API_KEY", "key-from-the-environment");
    ApiKey fromEnvironment = EnvironmentCredentialProvider.apiKey("REPORTS_API_KEY").environment(environment::get).build().fetch();
    System.out.println("environment:  " + fromEnvironment);

    Path file = Files.createTempFile("latchkey-example-", ".json");
    Files.writeString(file, "{\"accessKeyId\": \"AKIDFIRST\", \"secretAccessKey\": \"first-secret\"}");
    FileCredentialProvider<AwsCredentials> fileSource = FileCredentialProvider.aws(file).build();
    System.out.println("file:         " + fileSource.fetch());
    Files.writeString(file, "{\"accessKeyId\": \"AKIDROTATED\", \"secretAccessKey\": \"rotated-secret\"}");
    System.out.println("file rotated: " + fileSource.fetch());
    Files.delete(file);

    try (Sandbox sandbox = Sandbox.builder().azurite(false).start()) {
      ClientCredentialsProvider oauth = ClientCredentialsProvider.builder()
          .tokenEndpoint(TokenEndpoint.builder()
              .uri(sandbox.issuer().tokenEndpoint().uri())
              .clientAuthentication(ClientAuthentication.clientSecretPost("report-exporter", SecretValue.of("example-secret")))
              .build())
          .scopes("storage")
          .build();
      AccessToken token = oauth.fetch();
      System.out.println("oauth2:       " + token);
      AwsCredentials sts = WebIdentityCredentialsProvider.builder()
          .endpoint(sandbox.stsEndpoint())
          .region("us-east-1")
          .roleArn("arn:aws:iam::000000000000:role/report-exporter")
          .tokenProvider(oauth)
          .build()
          .fetch();
      System.out.println("sts:          " + sts);

      TokenEndpoint gatewayEndpoint = TokenEndpoint.builder()
          .uri(sandbox.issuer().tokenEndpoint().uri())
          .clientAuthentication(ClientAuthentication.clientSecretBasic("reports-api", SecretValue.of("example-secret")))
          .build();
      AccessToken exchanged = TokenExchangeProvider.builder()
          .tokenEndpoint(gatewayEndpoint)
          .subjectToken(oauth, TokenExchangeProvider.ACCESS_TOKEN_TYPE)
          .audience("reports-api")
          .build()
          .fetch();
      System.out.println("exchange:     " + exchanged);
      AccessToken bearerGrant = JwtBearerProvider.builder()
          .tokenEndpoint(gatewayEndpoint)
          .assertion(() -> AccessToken.bearer(SecretValue.of(sandbox.issuer().issueToken(
              "report-exporter", "report-exporter", Map.of(), Duration.ofMinutes(5))), null))
          .scopes("storage")
          .build()
          .fetch();
      System.out.println("jwt-bearer:   " + bearerGrant);
      AwsCredentials assumed = AssumeRoleCredentialsProvider.builder()
          .baseCredentials(() -> AwsCredentials.of(Sandbox.ADMIN_ACCESS_KEY_ID, SecretValue.of(sandbox.adminSecret())))
          .endpoint(sandbox.stsEndpoint())
          .region("us-east-1")
          .roleArn("arn:aws:iam::000000000000:role/report-reader")
          .roleSessionName("report-exporter")
          .externalId("example-external-id")
          .build()
          .fetch();
      System.out.println("assume-role:  " + assumed);
    }

    try {
      DefaultAwsCredentialsChain.builder()
          .environment(Map.of())
          .credentialsFile(Path.of("/nonexistent/credentials"))
          .configFile(Path.of("/nonexistent/config"))
          .instanceMetadataEndpoint(URI.create("http://127.0.0.1:9"))
          .build()
          .fetch();
    } catch (CredentialChainException e) {
      System.out.println("default AWS chain outside AWS:");
      e.outcomes().forEach(outcome -> System.out.println("  " + outcome));
    } catch (CredentialException e) {
      System.out.println("default AWS chain failed: " + e.getMessage());
    }

    try {
      DefaultAzureCredentials.builder()
          .environment(Map.of())
          .imdsEndpoint(URI.create("http://127.0.0.1:9"))
          .build()
          .fetch();
    } catch (CredentialChainException e) {
      System.out.println("default Azure chain outside Azure:");
      e.outcomes().forEach(outcome -> System.out.println("  " + outcome));
    } catch (CredentialException e) {
      System.out.println("default Azure chain failed: " + e.getMessage());
    }
  }
}
