/**
 * Latchkey core: the credential model and lifecycle, workload authentication, the signer SPI,
 * access policy, audit events and the storage client.
 */
@SuppressWarnings("module")
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

  // Helpers that the backend modules share, which are not public API. The S3 and Azure modules
  // depend on this one, so javac cannot find them here. @SuppressWarnings("module") above silences
  // the warning about that.
  exports dev.latchkey.internal.backend to dev.latchkey.s3, dev.latchkey.azure;

  // The policy document model is bound by Jackson through reflection.
  opens dev.latchkey.policy.internal to com.fasterxml.jackson.databind;
}
