/** Latchkey testkit: a local sandbox of real servers for tests and examples. */
module dev.latchkey.testkit {
  requires transitive dev.latchkey.core;
  requires okhttp3.tls;
  requires org.slf4j;

  exports dev.latchkey.testkit;
}
