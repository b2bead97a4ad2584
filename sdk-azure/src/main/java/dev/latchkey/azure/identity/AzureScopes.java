package dev.latchkey.azure.identity;

/** OAuth 2.0 scopes of Azure services for the Microsoft identity platform. */
public final class AzureScopes {

  /** Azure Storage (Blob, Queue, Table, Files): {@value}. The default of every identity source. */
  public static final String STORAGE = "https://storage.azure.com/.default";

  private AzureScopes() {}
}
