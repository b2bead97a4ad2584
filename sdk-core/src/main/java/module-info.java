/**
 * Latchkey core: the credential model and lifecycle, workload authentication, the signer SPI,
 * access policy, audit events and the storage client.
 */
module dev.latchkey.core {
  requires transitive okhttp3;
  requires transitive com.fasterxml.jackson.databind;
  requires com.github.benmanes.caffeine;
  requires org.slf4j;

  exports dev.latchkey;
  exports dev.latchkey.audit;
  exports dev.latchkey.auth;
  exports dev.latchkey.auth.jose;
  exports dev.latchkey.credentials;
  exports dev.latchkey.credentials.providers;
  exports dev.latchkey.okhttp;
  exports dev.latchkey.policy;
  exports dev.latchkey.signing;
  exports dev.latchkey.storage;

  // The policy document model is bound by Jackson through reflection.
  opens dev.latchkey.policy.internal to com.fasterxml.jackson.databind;
}
