/** Latchkey Azure Blob: Shared Key and SAS signing, Entra ID credential sources and the native Blob backend. */
module dev.latchkey.azure {
  requires transitive dev.latchkey.core;
  requires com.github.benmanes.caffeine;
  requires java.xml;
  requires org.slf4j;

  exports dev.latchkey.azure;
  exports dev.latchkey.azure.identity;
  exports dev.latchkey.azure.sas;
}
