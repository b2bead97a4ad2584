/** Latchkey Azure Blob: Shared Key and SAS signing, Entra ID credential sources and the native Blob backend. */
module dev.latchkey.azure {
  requires transitive dev.latchkey.core;
  requires org.slf4j;

  exports dev.latchkey.azure.identity;
}
