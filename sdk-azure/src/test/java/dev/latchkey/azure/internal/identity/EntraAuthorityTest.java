package dev.latchkey.azure.internal.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EntraAuthorityTest {

  @ParameterizedTest
  @CsvSource({
      "https://login.microsoftonline.com, https://login.microsoftonline.com/t-1/oauth2/v2.0/token",
      "https://login.microsoftonline.com/, https://login.microsoftonline.com/t-1/oauth2/v2.0/token",
      "https://login.example.org/prefix/, https://login.example.org/prefix/t-1/oauth2/v2.0/token",
      "http://127.0.0.1:8080, http://127.0.0.1:8080/t-1/oauth2/v2.0/token"})
  void tokenEndpointAppendsTenantPath(String authority, String expected) {
    assertThat(EntraAuthority.tokenEndpoint(HttpUrl.get(authority), "t-1").toString()).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"72f988bf-86f1-41af-91ab-2d7cd011db47", "contoso.onmicrosoft.com"})
  void acceptsTenantIdsAndDomains(String tenant) {
    assertThat(EntraAuthority.requireTenantId("tenantId", tenant)).isEqualTo(tenant);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a b", "tenant/../x", "-x", "t?x"})
  void rejectsMalformedTenantIds(String tenant) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> EntraAuthority.requireTenantId("tenantId", tenant))
        .withMessageContaining("tenantId '" + tenant + "'");
  }

  @Test
  void rejectsMultiTenantAliases() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> EntraAuthority.requireTenantId("AZURE_TENANT_ID", "Common"))
        .withMessageContaining("one specific tenant");
  }
}
