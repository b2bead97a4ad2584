package dev.latchkey.azure.identity;

/**
 * Microsoft Entra ID authority hosts of the Azure clouds, for {@code authorityHost(...)} and the
 * {@code AZURE_AUTHORITY_HOST} environment variable.
 */
public final class AzureAuthorityHosts {

  /** Azure public cloud: {@value}. The default everywhere. */
  public static final String AZURE_PUBLIC_CLOUD = "https://login.microsoftonline.com";

  /** Azure operated by 21Vianet in China: {@value}. */
  public static final String AZURE_CHINA = "https://login.chinacloudapi.cn";

  /** Azure US Government: {@value}. */
  public static final String AZURE_GOVERNMENT = "https://login.microsoftonline.us";

  private AzureAuthorityHosts() {}
}
