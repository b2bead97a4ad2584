package dev.latchkey.benchmarks.client;

import dev.latchkey.testkit.S3ProxyServer;
import java.io.IOException;
import java.io.InputStream;

/**
 * Entry point that runs the S3Proxy of {@link StorageGetBenchmark} in its own process. Started with
 * {@code taskset -c 1}, and the benchmark with {@code taskset -c 0}, the server handles requests on
 * the other core, as a remote storage service would, and cannot evict the client's code and data
 * from the caches of the benchmark's core.
 *
 * <p>It starts S3Proxy on 127.0.0.1 with the benchmark's key, creates the benchmark's bucket,
 * prints {@code endpoint=URI} on one line, and stops when its standard input ends. Pass the URI to
 * the benchmark as the system property {@value StorageGetBenchmark#ENDPOINT_PROPERTY}.
 *
 * <p>Run: {@code taskset -c 1 java -cp benchmarks/target/benchmarks.jar
 * dev.latchkey.benchmarks.client.StandaloneS3Proxy}
 */
public final class StandaloneS3Proxy {

  private StandaloneS3Proxy() {}

  public static void main(String[] args) throws IOException {
    try (S3ProxyServer server = StorageGetBenchmark.startServer()) {
      System.out.println("endpoint=" + server.endpoint());
      System.out.flush();
      drain(System.in);
    }
  }

  private static void drain(InputStream in) throws IOException {
    byte[] buffer = new byte[256];
    while (in.read(buffer) >= 0) {
      // Reads until standard input ends.
    }
  }
}
