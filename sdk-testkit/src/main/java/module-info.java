/**
 * Latchkey testkit: a local sandbox of real servers on 127.0.0.1 for tests and examples, a fake
 * clock, and a proxy that injects faults.
 */
module dev.latchkey.testkit {
  requires transitive dev.latchkey.core;
  requires transitive okhttp3;
  requires transitive mockwebserver3;
  requires transitive mock.oauth2.server;
  requires com.nimbusds.jose.jwt;
  requires org.slf4j;
  requires com.fasterxml.jackson.databind;

  exports dev.latchkey.testkit;
}
