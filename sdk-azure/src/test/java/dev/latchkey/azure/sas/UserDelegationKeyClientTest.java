package dev.latchkey.azure.sas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Instant;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** The request body and the builder checks of {@link UserDelegationKeyClient}. */
class UserDelegationKeyClientTest {

  private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
  private static final Instant START = Instant.parse("2026-03-05T07:00:00Z");
  private static final Instant EXPIRY = Instant.parse("2026-03-05T08:00:00Z");
  private static final OkHttpClient HTTP = new OkHttpClient();

  private static UserDelegationKeyClient.Builder builder() {
    return UserDelegationKeyClient.builder().endpoint(URI.create("https://myaccount.blob.core.windows.net"))
        .httpClient(HTTP);
  }

  @Test
  void keyInfoWithoutTenant() {
    assertThat(builder().build().keyInfo(START, EXPIRY)).isEqualTo("<?xml version=\"1.0\" encoding=\"utf-8\"?>"
        + "<KeyInfo><Start>2026-03-05T07:00:00Z</Start><Expiry>2026-03-05T08:00:00Z</Expiry></KeyInfo>");
  }

  @Test
  void keyInfoWithDelegatedUserTenant() {
    String body = builder().delegatedUserTenantId(TENANT).build().keyInfo(START, EXPIRY);

    assertThat(body).isEqualTo("<?xml version=\"1.0\" encoding=\"utf-8\"?><KeyInfo><Start>2026-03-05T07:00:00Z"
        + "</Start><Expiry>2026-03-05T08:00:00Z</Expiry><DelegatedUserTid>" + TENANT + "</DelegatedUserTid></KeyInfo>");
  }

  @Test
  void delegatedUserTenantNeedsVersion20250705() {
    assertThatThrownBy(() -> builder().serviceVersion("2025-05-05").delegatedUserTenantId(TENANT).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("2025-05-05").hasMessageContaining("2025-07-05");
    assertThat(builder().serviceVersion("2025-07-05").delegatedUserTenantId(TENANT).build()).isNotNull();
  }

  @Test
  void delegatedUserTenantMustBeGuid() {
    assertThatThrownBy(() -> builder().delegatedUserTenantId("contoso.onmicrosoft.com"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("delegatedUserTenantId");
    assertThatThrownBy(() -> builder().delegatedUserTenantId("<x/>" + TENANT.substring(4)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
