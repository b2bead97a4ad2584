/**
 * Latchkey testkit: a local sandbox of real servers on 127.0.0.1 for tests and examples, a fake
 * clock, and a proxy that injects faults.
 *
 * <p>S3Proxy 4.1.0 cannot be an automatic module (its jar lists a service provider class that it
 * does not contain), so it stays on the class path: the build compiles this module with {@code
 * --add-reads dev.latchkey.testkit=ALL-UNNAMED}, and the testkit runs on the class path.
 */
module dev.latchkey.testkit {
  requires transitive dev.latchkey.core;
  requires okhttp3.tls;
  requires org.slf4j;
  requires jdk.httpserver;
  requires java.net.http;

  exports dev.latchkey.testkit;
}
