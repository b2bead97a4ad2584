package dev.latchkey.examples;

import dev.latchkey.audit.Redactor;
import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.WorkloadIdentity;
import dev.latchkey.s3.S3Backend;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.storage.PresignRequest;
import dev.latchkey.storage.StorageClient;
import dev.latchkey.testkit.Sandbox;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Presigned URLs: the workload hands a URL to a party without credentials, which uploads and then
 * downloads one object with plain HTTP. The policy is checked for the action each URL grants (PUT
 * needs WRITE, GET needs READ), and logs show the URL with its signature redacted.
 *
 * <p>Run from the repository root: {@code mvn -B -ntp -Pdemo -DskipTests package
 * -Ddemo.mainClass=dev.latchkey.examples.PresignExample}
 */
public final class PresignExample {

  private PresignExample() {}

  public static void main(String[] args) throws IOException {
    try (Sandbox sandbox = Sandbox.builder().azurite(false).buckets("reports").start();
        CredentialCache<AwsCredentials> keys = CredentialCache.builder(() -> AwsCredentials.of(
            Sandbox.ADMIN_ACCESS_KEY_ID, SecretValue.of(sandbox.adminSecret()))).build();
        StorageClient storage = StorageClient.builder()
            .identity(WorkloadIdentity.of("report-exporter"))
            .policy(DemoPolicies.readWrite("report-exporter", "s3://reports/shared/**"))
            .backend(S3Backend.factory())
            .endpoint(sandbox.s3Endpoint())
            .region("us-east-1")
            .credentials(keys)
            .build()) {
      ObjectRef ref = ObjectRef.of("reports", "shared/handoff.csv");
      URI upload = storage.presign(new PresignRequest(ref, PresignRequest.Method.PUT, Duration.ofMinutes(10)));
      URI download = storage.presign(new PresignRequest(ref, PresignRequest.Method.GET, Duration.ofMinutes(10)));
      System.out.println("upload URL (redacted):   " + Redactor.url(upload));
      System.out.println("download URL (redacted): " + Redactor.url(download));

      OkHttpClient anonymous = new OkHttpClient();
      Request put = new Request.Builder().url(upload.toString())
          .put(RequestBody.create("id,total\n1,42\n", MediaType.get("text/csv"))).build();
      try (Response response = anonymous.newCall(put).execute()) {
        System.out.println("PUT with the presigned URL: HTTP " + response.code());
      }
      try (Response response = anonymous.newCall(new Request.Builder().url(download.toString()).build()).execute()) {
        System.out.println("GET with the presigned URL: HTTP " + response.code() + ", body "
            + response.body().string().replace("\n", "\\n"));
      }
      System.out.println("read back with the client: "
          + new String(storage.getBytes(ref), StandardCharsets.UTF_8).replace("\n", "\\n"));
    }
  }
}
