/** Latchkey testkit: a local sandbox of real servers for tests and examples. */
module dev.latchkey.testkit {
  requires transitive dev.latchkey.core;
}
