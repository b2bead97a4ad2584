package dev.latchkey.examples;

import dev.latchkey.credentials.WorkloadIdentity;
import dev.latchkey.policy.AccessDeniedException;
import dev.latchkey.policy.AccessPolicy;
import dev.latchkey.storage.ObjectBody;
import dev.latchkey.storage.ObjectRef;
import dev.latchkey.storage.PutRequest;
import dev.latchkey.storage.StorageClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Runs a {@link StorageClient} over a user-provided backend ({@link DirectoryBackend}) with a custom
 * audit sink ({@link CountingAuditSink}): the policy, retries and audit work the same as for S3 and
 * Azure Blob. The backend rejects user metadata, which it has no place for. The example's temporary
 * directory is deleted when it ends, also when it fails.
 *
 * <p>Run from the repository root: {@code mvn -B -ntp -Pdemo -DskipTests package
 * -Ddemo.mainClass=dev.latchkey.examples.CustomBackendExample}
 */
public final class CustomBackendExample {

  private CustomBackendExample() {}

  public static void main(String[] args) throws IOException {
    Path root = Files.createTempDirectory("latchkey-directory-backend");
    System.out.println("directory: " + root);
    try {
      run(root);
    } finally {
      deleteRecursively(root);
    }
  }

  private static void run(Path root) {
    AccessPolicy policy = AccessPolicy.fromJson("""
        {
          "version": 1,
          "roles": [
            {"name": "exporter", "rules": [
              {"id": "exports-rw", "effect": "ALLOW", "actions": ["READ", "WRITE", "LIST"],
               "resources": ["file://reports/exports/**"]}
            ]}
          ],
          "bindings": [{"id": "exporter-binding", "identities": ["report-exporter"], "roles": ["exporter"]}]
        }
        """);
    CountingAuditSink counts = new CountingAuditSink();

    try (StorageClient storage = StorageClient.builder()
        .identity(WorkloadIdentity.of("report-exporter"))
        .policy(policy)
        .backend(new DirectoryBackend(root))
        .auditSink(counts)
        .build()) {
      ObjectRef report = ObjectRef.of("reports", "exports/2026/q1.csv");
      storage.put(report, "region,total\nnorth,12\n".getBytes(StandardCharsets.UTF_8), "text/csv");
      System.out.println("read back: " + new String(storage.getBytes(report), StandardCharsets.UTF_8).strip());
      System.out.println("listed:    " + storage.list("reports", "exports/").map(object -> object.key()).toList());
      try {
        storage.put(ObjectRef.of("reports", "finance/salaries.csv"), new byte[1], "text/csv");
      } catch (AccessDeniedException e) {
        System.out.println("denied:    " + e.getMessage());
      }
      try {
        storage.put(PutRequest.builder(ObjectRef.of("reports", "exports/2026/q2.csv"), ObjectBody.ofBytes(new byte[1]))
            .userMetadata("owner", "finance").build());
      } catch (UnsupportedOperationException e) {
        System.out.println("metadata:  " + e.getMessage());
      }
    }
    System.out.println("audit:     " + counts.summary());
  }

  /** Deletes the example's directory and everything in it, deepest entries first. */
  private static void deleteRecursively(Path root) throws IOException {
    try (Stream<Path> entries = Files.walk(root)) {
      for (Path entry : entries.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(entry);
      }
    }
  }
}
