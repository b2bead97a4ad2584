package dev.latchkey.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Runs each small example against the sandbox and checks what it printed. */
class ExamplesTest {

  private static final List<String> SOURCES =
      List.of("client-secret", "client-certificate", "workload-identity", "managed-identity");

  @Test
  void presignExample() throws Exception {
    String output = run(() -> PresignExample.main(new String[0]));

    assertThat(output).contains("PUT with the presigned URL: HTTP 200");
    assertThat(output).contains("GET with the presigned URL: HTTP 200, body id,total\\n1,42\\n");
    assertThat(output).contains("X-Amz-Signature=****");
  }

  @Test
  void awsSdkBridgeExample() throws Exception {
    String output = run(() -> AwsSdkBridgeExample.main(new String[0]));

    assertThat(output).contains("read through the AWS SDK: a,b\\n1,2\\n");
    assertThat(output).containsPattern("signed with STS key: ASIA[A-Z0-9]+");
    assertThat(output).contains("denied before sending: Access denied: report-exporter may not DELETE");
  }

  @Test
  void credentialSourcesExample() throws Exception {
    String output = run(() -> CredentialSourcesExample.main(new String[0]));

    assertThat(output).contains("file rotated: AwsCredentials[accessKeyId=AKIDROTATED");
    assertThat(output).containsPattern("sts: +AwsCredentials\\[accessKeyId=ASIA");
    assertThat(output).contains("instance-metadata: not configured");
    assertThat(output).containsPattern("exchange: +AccessToken\\[id=sha256:");
    assertThat(output).containsPattern("jwt-bearer: +AccessToken\\[id=sha256:");
    assertThat(output).containsPattern("assume-role: +AwsCredentials\\[accessKeyId=ASIA");
    assertThat(output).contains("default Azure chain outside Azure:");
    assertThat(output).doesNotContain("rotated-secret", "first-secret", "static-api-key", "key-from-the-environment");
  }

  @Test
  void customBackendExample() throws Exception {
    String output = run(() -> CustomBackendExample.main(new String[0]));

    assertThat(output).contains("read back: region,total");
    assertThat(output).contains("denied:    Access denied");
    assertThat(output).contains("access.denied=1");
    assertThat(output).contains("metadata:  DirectoryBackend stores only the bytes of an object")
        .contains("user metadata [owner] was rejected");
    Matcher directory = Pattern.compile("directory: (\\S+)").matcher(output);
    assertThat(directory.find()).as("directory line").isTrue();
    assertThat(Path.of(directory.group(1))).doesNotExist();
  }

  @Test
  void mutualTlsExample() throws Exception {
    String output = run(() -> MutualTlsExample.main(new String[0]));

    Matcher presented = Pattern.compile("client certificate: ClientCertificate\\[id=x5t#S256:([\\w-]+)").matcher(output);
    assertThat(presented.find()).as("certificate line").isTrue();
    assertThat(output).contains("token bound to:     x5t#S256:" + presented.group(1));
    assertThat(output).contains("read back:          region,total\\neu,42\\n");
    assertThat(output).contains("listed:             [mtls/q4.csv]");
    assertThat(output).containsPattern("signed with: +ASIA[A-Z0-9]+");
    assertThat(output).containsPattern("unregistered certificate: rejected by the server, .*HTTP 401.*invalid_client");
    assertThat(output).contains("no certificate: rejected in the TLS handshake");
    assertThat(output).doesNotContain("not-a-certificate", "PRIVATE KEY");
  }

  @Test
  void entraIdExample() throws Exception {
    String output = run(() -> EntraIdExample.main(new String[0]));

    for (String source : SOURCES) {
      assertThat(output).containsPattern(source + ": AccessToken\\[id=sha256:[0-9a-f]+, tokenType=Bearer");
    }
    assertThat(output).containsPattern(
        "workload-identity without its token file: Federated token file .* does not exist\\. .*tokenFile\\(\\.\\.\\.\\) names it");
    assertThat(output).doesNotContain("example-secret", "eyJ");
    Assumptions.assumeFalse(output.contains("Azure Blob part skipped"), "Azurite needs Node.js 20 or later with npm");
    for (String source : SOURCES) {
      assertThat(output).contains("Azure Blob with " + source + ": read back 'written with " + source + "'");
    }
    assertThat(output).contains("listed [client-certificate/q4.csv, client-secret/q4.csv, managed-identity/q4.csv,"
        + " workload-identity/q4.csv]");
  }

  private interface Program {
    void run() throws Exception;
  }

  private static String run(Program program) throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      program.run();
    } finally {
      System.setOut(original);
    }
    String text = printed.toString(StandardCharsets.UTF_8);
    original.print(text);
    return text;
  }
}
