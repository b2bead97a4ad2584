package dev.latchkey.azure.sas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.azure.internal.HmacSha256;
import dev.latchkey.azure.internal.PercentCoding;
import dev.latchkey.credentials.SasToken;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.SharedKey;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlobSasTest {

  private static final String KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
  private static final SharedKey ACCOUNT = SharedKey.of("devstoreaccount1", SecretValue.of(KEY));
  private static final Instant NOW = Instant.parse("2026-03-05T07:08:09.750Z");
  private static final InstantSource CLOCK = InstantSource.fixed(NOW);
  private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";

  private static BlobSas.Builder readBlob() {
    return BlobSas.builder().blob("reports", "2026/q1.csv").permissions("r").lifetime(Duration.ofMinutes(15))
        .clock(CLOCK);
  }

  @Test
  void serviceSasHasDefaultsAndValidSignature() {
    BlobSas sas = readBlob().build();

    SasToken token = sas.sign(ACCOUNT);

    Map<String, String> query = parse(token);
    assertThat(query).containsEntry("sv", "2025-11-05").containsEntry("sr", "b").containsEntry("sp", "r")
        .containsEntry("st", "2026-03-05T07:03:09Z").containsEntry("se", "2026-03-05T07:23:09Z")
        .containsEntry("spr", "https");
    assertThat(token.expiresAt()).contains(Instant.parse("2026-03-05T07:23:09Z"));
    String stringToSign = sas.serviceStringToSign("devstoreaccount1",
        SasGrant.Window.ofText("2026-03-05T07:03:09Z", "2026-03-05T07:23:09Z"));
    assertThat(query.get("sig")).isEqualTo(hmac(KEY, stringToSign));
  }

  @Test
  void serviceStringHasEveryFieldOfCurrentLayout() {
    BlobSas sas = readBlob().identifier("policy1").ipRange("10.0.0.1-10.0.0.9").encryptionScope("scope1")
        .cacheControl("no-cache").contentDisposition("attachment").contentEncoding("gzip")
        .contentLanguage("en").contentType("text/csv").build();

    String stringToSign = sas.serviceStringToSign("acct", SasGrant.Window.ofText("S", "E"));

    assertThat(stringToSign).isEqualTo(String.join("\n", "r", "S", "E", "/blob/acct/reports/2026/q1.csv",
        "policy1", "10.0.0.1-10.0.0.9", "https", "2025-11-05", "b", "", "scope1", "no-cache", "attachment",
        "gzip", "en", "text/csv"));
  }

  @Test
  void layout20181109HasResourceButNoScope() {
    BlobSas sas = readBlob().version("2019-12-12").build();

    String stringToSign = sas.serviceStringToSign("acct", SasGrant.Window.ofText("S", "E"));

    assertThat(stringToSign.split("\n", -1)).hasSize(15);
    assertThat(stringToSign).startsWith("r\nS\nE\n/blob/acct/reports/2026/q1.csv\n\n\nhttps\n2019-12-12\nb\n\n");
  }

  @Test
  void permissionsUseCanonicalOrder() {
    BlobSas sas = BlobSas.builder().container("reports").permissions("lwrdac").lifetime(Duration.ofMinutes(5))
        .clock(CLOCK).build();

    assertThat(parse(sas.sign(ACCOUNT))).containsEntry("sp", "racwdl");
  }

  @Test
  void skewMarginMovesStartBack() {
    BlobSas sas = readBlob().skewMargin(Duration.ofMinutes(2)).build();

    assertThat(parse(sas.sign(ACCOUNT))).containsEntry("st", "2026-03-05T07:06:09Z");
  }

  @Test
  void responseHeadersAreEncodedOnce() {
    String disposition = "attachment; filename=\"q1 100%.csv\"";
    BlobSas sas = readBlob().contentDisposition(disposition).contentType("text/csv; charset=utf-8").build();

    SasToken token = sas.sign(ACCOUNT);

    assertThat(token.token().reveal())
        .contains("rscd=attachment%3B%20filename%3D%22q1%20100%25.csv%22")
        .contains("rsct=text%2Fcsv%3B%20charset%3Dutf-8")
        .doesNotContain("%2525");
    assertThat(parse(token)).containsEntry("rscd", disposition);
  }

  @Test
  void directorySasHasDepth() {
    BlobSas sas = BlobSas.builder().directory("reports", "/2026/q1/").permissions("rl")
        .lifetime(Duration.ofMinutes(5)).clock(CLOCK).build();

    Map<String, String> query = parse(sas.sign(ACCOUNT));

    assertThat(query).containsEntry("sr", "d").containsEntry("sdd", "2");
    assertThat(sas.serviceStringToSign("acct", SasGrant.Window.ofText("S", "E")))
        .contains("\n/blob/acct/reports/2026/q1\n");
  }

  @Test
  void userDelegationSasStaysInsideKeyLifetime() {
    UserDelegationKey key = delegationKey(NOW.minus(Duration.ofMinutes(1)), NOW.plus(Duration.ofMinutes(10)));
    BlobSas sas = readBlob().lifetime(Duration.ofHours(2)).build();

    SasToken token = sas.sign("devstoreaccount1", key);

    Map<String, String> query = parse(token);
    assertThat(query).containsEntry("st", "2026-03-05T07:07:09Z").containsEntry("se", "2026-03-05T07:18:09Z")
        .containsEntry("skoid", "oid-1").containsEntry("sktid", "tid-1").containsEntry("sks", "b")
        .containsEntry("skv", "2025-11-05");
    assertThat(token.expiresAt()).contains(Instant.parse("2026-03-05T07:18:09Z"));
    String stringToSign = sas.delegationStringToSign("devstoreaccount1", key,
        SasGrant.Window.ofText(query.get("st"), query.get("se")));
    assertThat(query.get("sig")).isEqualTo(hmac(key.value().reveal(), stringToSign));
  }

  @Test
  void userDelegationStringHasEveryFieldOf20250705() {
    UserDelegationKey key = delegationKey(Instant.parse("2026-03-05T07:00:00Z"), Instant.parse("2026-03-06T07:00:00Z"));
    BlobSas sas = readBlob().delegatedPrincipals("saoid-1", "suoid-1", "scid-1").delegatedUserObjectId("duoid-1")
        .encryptionScope("scope1").build();

    String stringToSign = sas.delegationStringToSign("acct", key, SasGrant.Window.ofText("S", "E"));

    assertThat(stringToSign).isEqualTo(String.join("\n", "r", "S", "E", "/blob/acct/reports/2026/q1.csv",
        "oid-1", "tid-1", "2026-03-05T07:00:00Z", "2026-03-06T07:00:00Z", "b", "2025-11-05",
        "saoid-1", "suoid-1", "scid-1", "", "duoid-1", "", "https", "2025-11-05", "b", "", "scope1",
        "", "", "", "", ""));
  }

  @Test
  void delegatedUserTenantIsSignedBeforeObjectId() {
    UserDelegationKey key = tenantKey(Instant.parse("2026-03-05T07:00:00Z"), Instant.parse("2026-03-06T07:00:00Z"));
    BlobSas sas = readBlob().version("2025-07-05").delegatedUserTenantId(TENANT).delegatedUserObjectId("duoid-1")
        .build();

    String stringToSign = sas.delegationStringToSign("acct", key, SasGrant.Window.ofText("S", "E"));

    assertThat(stringToSign).isEqualTo("r\nS\nE\n/blob/acct/reports/2026/q1.csv\n"
        + "oid-1\ntid-1\n2026-03-05T07:00:00Z\n2026-03-06T07:00:00Z\nb\n2025-11-05\n"
        + "\n\n\n" + TENANT + "\nduoid-1\n"
        + "\nhttps\n2025-07-05\nb\n\n\n\n\n\n\n");
  }

  @Test
  void delegatedUserTenantIsInQueryOnlyWhenSet() {
    UserDelegationKey key = delegationKey(NOW.minus(Duration.ofMinutes(1)), NOW.plus(Duration.ofMinutes(10)));
    UserDelegationKey keyForTenant = tenantKey(key.signedStart(), key.signedExpiry());

    Map<String, String> withTenant = parse(readBlob().delegatedUserTenantId(TENANT).delegatedUserObjectId("duoid-1")
        .build().sign("devstoreaccount1", keyForTenant));
    Map<String, String> withoutTenant = parse(readBlob().delegatedUserObjectId("duoid-1").build()
        .sign("devstoreaccount1", key));

    assertThat(withTenant).containsEntry("skdutid", TENANT).containsEntry("sduoid", "duoid-1");
    assertThat(withoutTenant).doesNotContainKey("skdutid").containsEntry("sduoid", "duoid-1");
  }

  @Test
  void delegatedUserTenantSignatureCoversTheTenant() {
    UserDelegationKey key = tenantKey(NOW.minus(Duration.ofMinutes(1)), NOW.plus(Duration.ofMinutes(10)));
    BlobSas sas = readBlob().delegatedUserTenantId(TENANT).build();

    Map<String, String> query = parse(sas.sign("devstoreaccount1", key));

    String stringToSign = sas.delegationStringToSign("devstoreaccount1", key,
        SasGrant.Window.ofText(query.get("st"), query.get("se")));
    assertThat(stringToSign).contains("\n2025-11-05\n\n\n\n" + TENANT + "\n\n\nhttps\n");
    assertThat(query.get("sig")).isEqualTo(hmac(key.value().reveal(), stringToSign));
  }

  @Test
  void keyTenantIsSignedWithoutBuilderTenant() {
    UserDelegationKey key = tenantKey(NOW.minus(Duration.ofMinutes(1)), NOW.plus(Duration.ofMinutes(10)));
    BlobSas sas = readBlob().delegatedUserObjectId("duoid-1").build();

    Map<String, String> query = parse(sas.sign("devstoreaccount1", key));

    assertThat(query).containsEntry("skdutid", TENANT).containsEntry("sduoid", "duoid-1");
    String stringToSign = sas.delegationStringToSign("devstoreaccount1", key,
        SasGrant.Window.ofText(query.get("st"), query.get("se")));
    assertThat(stringToSign).contains("\n2025-11-05\n\n\n\n" + TENANT + "\nduoid-1\n\nhttps\n");
    assertThat(query.get("sig")).isEqualTo(hmac(key.value().reveal(), stringToSign));
  }

  @Test
  void keyTenantIsSignedAsReturned() {
    String upperCase = TENANT.toUpperCase(Locale.ROOT);
    UserDelegationKey key = new UserDelegationKey("oid-1", "tid-1", NOW.minus(Duration.ofMinutes(1)),
        NOW.plus(Duration.ofMinutes(10)), "b", "2025-11-05", upperCase, delegationKey(NOW, NOW.plusSeconds(1)).value());

    Map<String, String> query = parse(readBlob().delegatedUserTenantId(TENANT).build().sign("devstoreaccount1", key));

    assertThat(query).containsEntry("skdutid", upperCase);
  }

  @Test
  void builderTenantRejectsKeyOfOtherTenant() {
    UserDelegationKey key = tenantKey(NOW.minus(Duration.ofMinutes(1)), NOW.plus(Duration.ofMinutes(10)));
    String otherTenant = "0b4c8c4e-1f53-4f46-9c7b-0d3c5c1a9e21";
    BlobSas sas = readBlob().delegatedUserTenantId(otherTenant).build();

    assertThatThrownBy(() -> sas.sign("devstoreaccount1", key))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("delegated user tenant " + otherTenant)
        .hasMessageContaining("issued for delegated user tenant " + TENANT)
        .hasMessageContaining("UserDelegationKeyClient.Builder.delegatedUserTenantId");
  }

  @Test
  void builderTenantRejectsKeyWithoutTenant() {
    UserDelegationKey key = delegationKey(NOW.minus(Duration.ofMinutes(1)), NOW.plus(Duration.ofMinutes(10)));
    BlobSas sas = readBlob().delegatedUserTenantId(TENANT).build();

    assertThatThrownBy(() -> sas.sign("devstoreaccount1", key))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("issued for no delegated user tenant");
  }

  @Test
  void keyTenantNeedsVersion20250705() {
    UserDelegationKey key = tenantKey(NOW.minus(Duration.ofMinutes(1)), NOW.plus(Duration.ofMinutes(10)));
    BlobSas sas = readBlob().version("2024-11-04").build();

    assertThatThrownBy(() -> sas.sign("devstoreaccount1", key))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("2024-11-04")
        .hasMessageContaining(TENANT)
        .hasMessageContaining("2025-07-05");
  }

  @Test
  void delegatedUserTenantNeedsVersion20250705() {
    assertThatThrownBy(() -> readBlob().version("2024-11-04").delegatedUserTenantId(TENANT).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("2025-07-05");
  }

  @Test
  void delegatedUserTenantMustBeGuid() {
    for (String invalid : new String[] {"", "tid-1", "72f988bf86f141af91ab2d7cd011db47",
        "72f988bf-86f1-41af-91ab-2d7cd011db4", "72f988bf-86f1-41af-91ab-2d7cd011db4g",
        "{72f988bf-86f1-41af-91ab-2d7cd011db47}"}) {
      assertThatThrownBy(() -> BlobSas.builder().delegatedUserTenantId(invalid))
          .as(invalid)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("delegatedUserTenantId");
    }
    assertThatThrownBy(() -> BlobSas.builder().delegatedUserTenantId(null)).isInstanceOf(NullPointerException.class);
    BlobSas.builder().delegatedUserTenantId("72F988BF-86F1-41AF-91AB-2D7CD011DB47");
  }

  @Test
  void userDelegationBefore20250705HasNoTenantField() {
    UserDelegationKey key = delegationKey(Instant.parse("2026-03-05T07:00:00Z"), Instant.parse("2026-03-06T07:00:00Z"));
    BlobSas sas = readBlob().version("2024-11-04").delegatedPrincipals("saoid-1", null, null).build();

    String stringToSign = sas.delegationStringToSign("acct", key, SasGrant.Window.ofText("S", "E"));

    assertThat(stringToSign.split("\n", -1)).hasSize(24);
    assertThat(stringToSign).contains("\n2025-11-05\nsaoid-1\n\n\n\nhttps\n");
  }

  @Test
  void userDelegationLayout20181109HasNoPrincipals() {
    UserDelegationKey key = delegationKey(Instant.parse("2026-03-05T07:00:00Z"), Instant.parse("2026-03-06T07:00:00Z"));
    BlobSas sas = readBlob().version("2018-11-09").build();

    String stringToSign = sas.delegationStringToSign("acct", key, SasGrant.Window.ofText("S", "E"));

    assertThat(stringToSign.split("\n", -1)).hasSize(20);
  }

  @Test
  void expiredDelegationKeyIsRejected() {
    UserDelegationKey key = delegationKey(NOW.minus(Duration.ofHours(2)), NOW.minus(Duration.ofHours(1)));

    assertThatThrownBy(() -> readBlob().build().sign("devstoreaccount1", key))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("signing key's expiry");
  }

  @Test
  void blobSasRejectsListPermission() {
    assertThatThrownBy(() -> BlobSas.builder().blob("reports", "a").permissions("rl").lifetime(Duration.ofMinutes(1)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("LIST");
  }

  @Test
  void builderRejectsBadValues() {
    assertThatThrownBy(() -> BlobSas.builder().permissions("rq"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'q'");
    assertThatThrownBy(() -> BlobSas.builder().ipRange("10.0.0.300"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10.0.0.300");
    assertThatThrownBy(() -> BlobSas.builder().lifetime(Duration.ofDays(8)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT192H");
    assertThatThrownBy(() -> BlobSas.builder().container("Reports"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Reports'");
    assertThatThrownBy(() -> BlobSas.builder().blob("reports", "a").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("permissions");
    assertThatThrownBy(() -> readBlob().version("2014-02-14").ipRange("10.0.0.1").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("2015-04-05");
  }

  @Test
  void accountSasHasTrailingNewlineAndScope() {
    AccountSas sas = AccountSas.builder().services(EnumSet.of(AccountSasService.QUEUE, AccountSasService.BLOB))
        .resourceTypes(EnumSet.of(AccountSasResourceType.OBJECT, AccountSasResourceType.CONTAINER))
        .permissions(EnumSet.of(AccountSasPermission.LIST, AccountSasPermission.READ))
        .encryptionScope("scope1").lifetime(Duration.ofMinutes(5)).clock(CLOCK).build();

    Map<String, String> query = parse(sas.sign(ACCOUNT));

    assertThat(query).containsEntry("ss", "bq").containsEntry("srt", "co").containsEntry("sp", "rl")
        .containsEntry("spr", "https").containsEntry("ses", "scope1");
    assertThat(sas.stringToSign("acct", SasGrant.Window.ofText("S", "E")))
        .isEqualTo("acct\nrl\nbq\nco\nS\nE\n\nhttps\n2025-11-05\nscope1\n");
  }

  @Test
  void delegationKeyPrintsNoValue() {
    UserDelegationKey key = delegationKey(NOW, NOW.plusSeconds(60));

    assertThat(key.toString()).doesNotContain(key.value().reveal()).contains("oid-1");
  }

  @Test
  void sasTokenPrintsNoSignature() {
    SasToken token = readBlob().build().sign(ACCOUNT);

    assertThat(token.toString()).doesNotContain(parse(token).get("sig"));
  }

  private static UserDelegationKey delegationKey(Instant start, Instant expiry) {
    return new UserDelegationKey("oid-1", "tid-1", start, expiry, "b", "2025-11-05",
        SecretValue.of(Base64.getEncoder().encodeToString("delegation-key-bytes".getBytes())));
  }

  /** Returns a key issued for the delegated user tenant {@link #TENANT}. */
  private static UserDelegationKey tenantKey(Instant start, Instant expiry) {
    UserDelegationKey key = delegationKey(start, expiry);
    return new UserDelegationKey(key.signedObjectId(), key.signedTenantId(), start, expiry, key.signedService(),
        key.signedVersion(), TENANT, key.value());
  }

  private static String hmac(String base64Key, String text) {
    return HmacSha256.of(Base64.getDecoder().decode(base64Key)).signBase64(text);
  }

  private static Map<String, String> parse(SasToken token) {
    Map<String, String> query = new LinkedHashMap<>();
    for (String pair : token.token().reveal().split("&")) {
      int equals = pair.indexOf('=');
      query.put(pair.substring(0, equals), PercentCoding.decodeQueryComponent(pair.substring(equals + 1)));
    }
    return query;
  }
}
