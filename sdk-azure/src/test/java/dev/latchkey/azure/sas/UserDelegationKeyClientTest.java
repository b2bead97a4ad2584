package dev.latchkey.azure.sas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.credentials.SecretValue;
import dev.latchkey.storage.StorageException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** The request body, the response parsing and the builder checks of {@link UserDelegationKeyClient}. */
class UserDelegationKeyClientTest {

  private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
  private static final Instant START = Instant.parse("2026-03-05T07:00:00Z");
  private static final Instant EXPIRY = Instant.parse("2026-03-05T08:00:00Z");
  private static final OkHttpClient HTTP = new OkHttpClient();
  private static final String KEY_VALUE = "a2V5LWJ5dGVzLWZvci10ZXN0cy1vbmx5";

  /**
   * Returns a Get User Delegation Key response body, with {@code SignedDelegatedUserTid} between
   * {@code SignedVersion} and {@code Value}, where the Azure SDKs' models place it. Azurite 3.35.0
   * does not return that element, so the document is written by hand, not captured from a service.
   */
  private static String keyResponse(String delegatedUserTenantElement) {
    return "\uFEFF<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<UserDelegationKey>"
        + "<SignedOid>5e8c0ad1-6a4f-4f8e-9a61-2a4b7c9d0e13</SignedOid>"
        + "<SignedTid>3f2b1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d</SignedTid>"
        + "<SignedStart>2026-03-05T07:00:00Z</SignedStart><SignedExpiry>2026-03-05T08:00:00Z</SignedExpiry>"
        + "<SignedService>b</SignedService><SignedVersion>2025-07-05</SignedVersion>"
        + delegatedUserTenantElement + "<Value>" + KEY_VALUE + "</Value></UserDelegationKey>";
  }

  private static UserDelegationKey parse(String body) {
    return UserDelegationKeyClient.parse(body.getBytes(StandardCharsets.UTF_8));
  }

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

  @Test
  void responseWithDelegatedUserTenant() {
    UserDelegationKey key = parse(keyResponse("<SignedDelegatedUserTid>" + TENANT + "</SignedDelegatedUserTid>"));

    assertThat(key.signedDelegatedUserTenantId()).isEqualTo(TENANT);
    assertThat(key.signedObjectId()).isEqualTo("5e8c0ad1-6a4f-4f8e-9a61-2a4b7c9d0e13");
    assertThat(key.signedTenantId()).isEqualTo("3f2b1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d");
    assertThat(key.signedVersion()).isEqualTo("2025-07-05");
    assertThat(key.value().reveal()).isEqualTo(KEY_VALUE);
    assertThat(key.toString()).contains("signedDelegatedUserTenantId=" + TENANT).doesNotContain(KEY_VALUE);
  }

  @Test
  void responseWithoutDelegatedUserTenant() {
    assertThat(parse(keyResponse("")).signedDelegatedUserTenantId()).isNull();
    assertThat(parse(keyResponse("<SignedDelegatedUserTid> </SignedDelegatedUserTid>")).signedDelegatedUserTenantId())
        .isNull();
  }

  @Test
  void responseWithInvalidDelegatedUserTenant() {
    assertThatThrownBy(() -> parse(keyResponse("<SignedDelegatedUserTid>contoso</SignedDelegatedUserTid>")))
        .isInstanceOf(StorageException.class)
        .hasMessageStartingWith("Invalid Get User Delegation Key response")
        .hasMessageContaining("signedDelegatedUserTenantId");
  }

  @Test
  void responseForOtherTenantIsRejected() {
    UserDelegationKeyClient client = builder().delegatedUserTenantId(TENANT).build();
    UserDelegationKey other = withTenant("0b4c8c4e-1f53-4f46-9c7b-0d3c5c1a9e21");

    assertThatThrownBy(() -> client.checkDelegatedUserTenant(other, "request-1"))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("0b4c8c4e-1f53-4f46-9c7b-0d3c5c1a9e21")
        .hasMessageContaining(TENANT)
        .satisfies(e -> assertThat(((StorageException) e).requestId()).isEqualTo("request-1"));
  }

  @Test
  void responseForRequestedTenantIsAccepted() {
    UserDelegationKeyClient client = builder().delegatedUserTenantId(TENANT).build();
    UserDelegationKey same = withTenant(TENANT.toUpperCase(Locale.ROOT));
    UserDelegationKey none = withTenant(null);

    assertThat(client.checkDelegatedUserTenant(same, "request-1")).isSameAs(same);
    assertThat(client.checkDelegatedUserTenant(none, "request-2")).isSameAs(none);
    assertThat(builder().build().checkDelegatedUserTenant(same, "request-3")).isSameAs(same);
  }

  private static UserDelegationKey withTenant(String tenant) {
    return new UserDelegationKey("oid-1", "tid-1", START, EXPIRY, "b", "2025-07-05", tenant, SecretValue.of(KEY_VALUE));
  }
}
