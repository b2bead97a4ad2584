package dev.latchkey.azure.sas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.azure.internal.PercentCoding;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.SharedKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Checks that a SAS built anew for each signature never signs with the encoded parts, times or
 * account of an earlier SAS of the same thread. Expected tokens come from {@link #expectedToken}, an
 * implementation with string concatenation and {@link Mac}, or from a thread that signed nothing
 * before.
 */
class BlobSasReuseTest {

  private static final SharedKey FIRST_KEY = SharedKey.of("devstoreaccount1",
      SecretValue.of("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="));
  private static final SharedKey SECOND_KEY = SharedKey.of("otheraccount",
      SecretValue.of(Base64.getEncoder().encodeToString("another-account-key".getBytes(StandardCharsets.UTF_8))));
  private static final Instant NOW = Instant.parse("2026-03-05T07:08:09Z");

  /** The base SAS of the single-change cases. */
  private static final Spec BASE = new Spec(FIRST_KEY, NOW, "reports", "2026/q1.csv", "r", SasGrant.DEFAULT_VERSION,
      null, null, SasProtocol.HTTPS_ONLY, null, null, null);

  @Test
  void alternatingTwoSasMatchesReference() throws GeneralSecurityException {
    Spec other = new Spec(SECOND_KEY, NOW.plusSeconds(3_601), "archive", "2025/q4.csv", "rw", "2024-11-04",
        "policy1", "10.0.0.1", SasProtocol.HTTPS_AND_HTTP, "scope1", "text/csv", null);

    for (int round = 0; round < 20; round++) {
      assertThat(BASE.sign()).as("base, round %d", round).isEqualTo(expectedToken(BASE));
      assertThat(other.sign()).as("other, round %d", round).isEqualTo(expectedToken(other));
    }
  }

  @Test
  void singleChangeBetweenSignaturesIsSigned() throws Exception {
    List<UnaryOperator<Spec>> changes = List.of(
        spec -> spec.withKey(SECOND_KEY),
        spec -> spec.withNow(NOW.plusSeconds(1)),
        spec -> spec.withContainer("archive"),
        spec -> spec.withBlob("2026/q2.csv"),
        spec -> spec.withBlob(null),
        spec -> spec.withPermissions("rw"),
        spec -> spec.withVersion("2019-12-12"),
        spec -> spec.withIdentifier("policy1"),
        spec -> spec.withIpRange("10.0.0.1-10.0.0.9"),
        spec -> spec.withProtocol(SasProtocol.HTTPS_AND_HTTP),
        spec -> spec.withEncryptionScope("scope1"),
        spec -> spec.withContentType("text/csv"),
        spec -> spec.withSnapshot("2026-03-05T07:00:00.0000000Z"));

    for (int i = 0; i < changes.size(); i++) {
      Spec changed = changes.get(i).apply(BASE);

      String baseToken = BASE.sign();
      String changedToken = changed.sign();
      String baseAgain = BASE.sign();

      assertThat(changedToken).as("change %d", i).isNotEqualTo(baseToken);
      assertThat(changedToken).as("change %d", i).isEqualTo(expectedToken(changed));
      assertThat(changedToken).as("change %d on a new thread", i).isEqualTo(signOnNewThread(changed));
      assertThat(baseAgain).as("base after change %d", i).isEqualTo(expectedToken(BASE));
    }
  }

  @Test
  void equalTextsInNewObjectsSignAlike() throws GeneralSecurityException {
    Spec copied = new Spec(FIRST_KEY, NOW, new String("reports"), new String("2026/q1.csv"), new String("r"),
        new String(SasGrant.DEFAULT_VERSION), null, null, SasProtocol.HTTPS_ONLY, null, null, null);

    String first = BASE.sign();
    String second = copied.sign();

    assertThat(second).isEqualTo(first).isEqualTo(expectedToken(BASE));
  }

  @Test
  void interleavedSasKindsMatchReference() throws Exception {
    UserDelegationKey delegationKey = new UserDelegationKey("oid-1", "tid-1", NOW.minusSeconds(60),
        NOW.plusSeconds(3_600), "b", "2025-11-05",
        SecretValue.of(Base64.getEncoder().encodeToString("delegation-key-bytes".getBytes(StandardCharsets.UTF_8))));
    Callable<String> delegation = () -> BASE.builder().build().sign("otheraccount", delegationKey).token().reveal();
    Callable<String> directory = () -> BlobSas.builder().directory("reports", "2026").permissions("rl")
        .lifetime(Duration.ofMinutes(15)).clock(InstantSource.fixed(NOW)).build().sign(SECOND_KEY).token().reveal();
    Callable<String> account = () -> AccountSas.builder().services(java.util.EnumSet.of(AccountSasService.BLOB))
        .resourceTypes(java.util.EnumSet.of(AccountSasResourceType.OBJECT))
        .permissions(java.util.EnumSet.of(AccountSasPermission.READ)).lifetime(Duration.ofMinutes(15))
        .clock(InstantSource.fixed(NOW)).build().sign(SECOND_KEY).token().reveal();
    String expectedDelegation = signOnNewThread(delegation);
    String expectedDirectory = signOnNewThread(directory);
    String expectedAccount = signOnNewThread(account);

    for (int round = 0; round < 5; round++) {
      assertThat(BASE.sign()).as("service, round %d", round).isEqualTo(expectedToken(BASE));
      assertThat(delegation.call()).as("user delegation, round %d", round).isEqualTo(expectedDelegation);
      assertThat(directory.call()).as("directory, round %d", round).isEqualTo(expectedDirectory);
      assertThat(account.call()).as("account, round %d", round).isEqualTo(expectedAccount);
    }
  }

  @Test
  void concurrentThreadsMatchReference() throws Exception {
    int threads = 8;
    List<Spec> specs = new ArrayList<>();
    for (int i = 0; i < 2 * threads; i++) {
      specs.add(new Spec(i % 2 == 0 ? FIRST_KEY : SECOND_KEY, NOW.plusSeconds(i), "container-" + i % 3,
          "blob-" + i + ".csv", i % 3 == 0 ? "rw" : "r", i % 4 == 0 ? "2020-12-06" : SasGrant.DEFAULT_VERSION,
          null, null, SasProtocol.HTTPS_ONLY, i % 5 == 0 ? "scope" + i : null, i % 2 == 0 ? "text/plain" : null,
          null));
    }
    List<String> expected = new ArrayList<>();
    for (Spec spec : specs) {
      expected.add(expectedToken(spec));
    }

    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> mismatches = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        mismatches.add(pool.submit(() -> {
          start.await();
          int count = 0;
          for (int round = 0; round < 500; round++) {
            // Each thread takes two specs of its own and two of other threads in turn.
            for (int offset : new int[] {0, threads, 1, threads + 3}) {
              int index = (first + offset) % specs.size();
              if (!specs.get(index).sign().equals(expected.get(index))) {
                count++;
              }
            }
          }
          return count;
        }));
      }
      start.countDown();
      for (Future<Integer> result : mismatches) {
        assertThat(result.get(60, TimeUnit.SECONDS)).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void delegationAndDirectorySasAlternate() throws Exception {
    String container = "reports";
    String shallow = "2026";
    String deep = "2026/q1/north";
    UserDelegationKey firstKey = delegationKey("oid-1", "first-delegation-key", NOW.plusSeconds(3_600));
    UserDelegationKey secondKey = delegationKey("oid-2", "second-delegation-key", NOW.plusSeconds(600));
    List<Callable<String>> signers = List.of(
        () -> directory(container, shallow).build().sign(FIRST_KEY).token().reveal(),
        () -> directory(container, deep).build().sign(FIRST_KEY).token().reveal(),
        () -> directory(container, new String(deep)).build().sign(FIRST_KEY).token().reveal(),
        () -> BlobSas.builder().blob(container, deep).permissions("r").lifetime(Duration.ofMinutes(15))
            .clock(InstantSource.fixed(NOW)).build().sign(FIRST_KEY).token().reveal(),
        () -> directory(container, deep).build().sign("devstoreaccount1", firstKey).token().reveal(),
        () -> directory(container, deep).build().sign("devstoreaccount1", secondKey).token().reveal(),
        () -> directory(container, deep).delegatedPrincipals("agent-1", null, "corr-1").build()
            .sign("devstoreaccount1", secondKey).token().reveal(),
        () -> directory(container, deep).contentDisposition(new String("attachment")).build()
            .sign("devstoreaccount1", firstKey).token().reveal(),
        () -> directory(container, deep).contentDisposition("inline").build()
            .sign("devstoreaccount1", firstKey).token().reveal());
    List<String> expected = new ArrayList<>();
    for (Callable<String> signer : signers) {
      expected.add(signOnNewThread(signer));
    }

    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < signers.size(); i++) {
        assertThat(signers.get(i).call()).as("SAS %d, round %d", i, round).isEqualTo(expected.get(i));
      }
    }
    assertThat(expected.get(2)).as("equal path in another object").isEqualTo(expected.get(1));
    List<String> distinct = new ArrayList<>(expected);
    distinct.remove(2);
    assertThat(distinct).as("tokens of different SAS").doesNotHaveDuplicates();
    assertThat(expected.get(0)).as("shallow directory").contains("&sdd=1&");
    assertThat(expected.get(1)).as("deep directory").contains("&sdd=3&");
  }

  private static BlobSas.Builder directory(String container, String path) {
    return BlobSas.builder().directory(container, path).permissions("rl").version("2020-12-06")
        .lifetime(Duration.ofMinutes(15)).clock(InstantSource.fixed(NOW));
  }

  private static UserDelegationKey delegationKey(String objectId, String secret, Instant expiry) {
    return new UserDelegationKey(objectId, "tid-1", NOW.minusSeconds(60), expiry, "b", "2025-11-05",
        SecretValue.of(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8))));
  }

  private static String signOnNewThread(Spec spec) throws Exception {
    return signOnNewThread(spec::sign);
  }

  private static String signOnNewThread(Callable<String> signer) throws Exception {
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try {
      return thread.submit(signer).get(30, TimeUnit.SECONDS);
    } finally {
      thread.shutdownNow();
    }
  }

  /**
   * Returns the service SAS token of {@code spec}, built by string concatenation from the "Create a
   * service SAS" layout of versions 2018-11-09 and later and signed with {@link Mac}.
   */
  private static String expectedToken(Spec spec) throws GeneralSecurityException {
    String start = spec.now().minus(SasGrant.DEFAULT_SKEW_MARGIN).toString();
    String expiry = spec.now().plus(Duration.ofMinutes(15)).toString();
    String resourceCode = spec.blob() == null ? "c" : "b";
    String canonicalName = "/blob/" + spec.key().accountName() + "/" + spec.container()
        + (spec.blob() == null ? "" : "/" + spec.blob());
    List<String> fields = new ArrayList<>(List.of(spec.permissions(), start, expiry, canonicalName,
        text(spec.identifier()), text(spec.ipRange()), spec.protocol().value(), spec.version(), resourceCode,
        text(spec.snapshot())));
    boolean hasEncryptionScope = spec.version().compareTo("2020-12-06") >= 0;
    if (hasEncryptionScope) {
      fields.add(text(spec.encryptionScope()));
    }
    fields.addAll(List.of("", "", "", "", text(spec.contentType())));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Base64.getDecoder().decode(spec.key().accountKey().reveal()), "HmacSHA256"));
    String signature = Base64.getEncoder()
        .encodeToString(mac.doFinal(String.join("\n", fields).getBytes(StandardCharsets.UTF_8)));

    StringBuilder query = new StringBuilder("sv=").append(spec.version());
    query.append("&sr=").append(resourceCode);
    query.append("&st=").append(PercentCoding.encodeQueryComponent(start));
    query.append("&se=").append(PercentCoding.encodeQueryComponent(expiry));
    query.append("&sp=").append(spec.permissions());
    appendParameter(query, "sip", spec.ipRange());
    appendParameter(query, "spr", spec.protocol().value());
    appendParameter(query, "si", spec.identifier());
    appendParameter(query, "ses", spec.encryptionScope());
    appendParameter(query, "rsct", spec.contentType());
    appendParameter(query, "sig", signature);
    return query.toString();
  }

  private static String text(String value) {
    return value == null ? "" : value;
  }

  private static void appendParameter(StringBuilder query, String name, String value) {
    if (value != null) {
      query.append('&').append(name).append('=').append(PercentCoding.encodeQueryComponent(value));
    }
  }

  /**
   * The options of one service SAS for a blob, or for a container when {@code blob} is null. The
   * permissions are letters in canonical order, and the SAS lasts 15 minutes from {@code now}.
   */
  private record Spec(
      SharedKey key, Instant now, String container, String blob, String permissions, String version,
      String identifier, String ipRange, SasProtocol protocol, String encryptionScope, String contentType,
      String snapshot) {

    BlobSas.Builder builder() {
      BlobSas.Builder builder = BlobSas.builder();
      if (blob == null) {
        builder.container(container);
      } else {
        builder.blob(container, blob);
      }
      builder.permissions(permissions).version(version).protocol(protocol).lifetime(Duration.ofMinutes(15))
          .clock(InstantSource.fixed(now));
      if (identifier != null) {
        builder.identifier(identifier);
      }
      if (ipRange != null) {
        builder.ipRange(ipRange);
      }
      if (encryptionScope != null) {
        builder.encryptionScope(encryptionScope);
      }
      if (contentType != null) {
        builder.contentType(contentType);
      }
      if (snapshot != null) {
        builder.snapshot(snapshot);
      }
      return builder;
    }

    /** Builds a new {@code BlobSas} and returns the token it signs. */
    String sign() {
      return builder().build().sign(key).token().reveal();
    }

    Spec withKey(SharedKey value) {
      return new Spec(value, now, container, blob, permissions, version, identifier, ipRange, protocol,
          encryptionScope, contentType, snapshot);
    }

    Spec withNow(Instant value) {
      return new Spec(key, value, container, blob, permissions, version, identifier, ipRange, protocol,
          encryptionScope, contentType, snapshot);
    }

    Spec withContainer(String value) {
      return new Spec(key, now, value, blob, permissions, version, identifier, ipRange, protocol, encryptionScope,
          contentType, snapshot);
    }

    Spec withBlob(String value) {
      return new Spec(key, now, container, value, permissions, version, identifier, ipRange, protocol,
          encryptionScope, contentType, snapshot);
    }

    Spec withPermissions(String value) {
      return new Spec(key, now, container, blob, value, version, identifier, ipRange, protocol, encryptionScope,
          contentType, snapshot);
    }

    Spec withVersion(String value) {
      return new Spec(key, now, container, blob, permissions, value, identifier, ipRange, protocol,
          encryptionScope, contentType, snapshot);
    }

    Spec withIdentifier(String value) {
      return new Spec(key, now, container, blob, permissions, version, value, ipRange, protocol, encryptionScope,
          contentType, snapshot);
    }

    Spec withIpRange(String value) {
      return new Spec(key, now, container, blob, permissions, version, identifier, value, protocol,
          encryptionScope, contentType, snapshot);
    }

    Spec withProtocol(SasProtocol value) {
      return new Spec(key, now, container, blob, permissions, version, identifier, ipRange, value,
          encryptionScope, contentType, snapshot);
    }

    Spec withEncryptionScope(String value) {
      return new Spec(key, now, container, blob, permissions, version, identifier, ipRange, protocol, value,
          contentType, snapshot);
    }

    Spec withContentType(String value) {
      return new Spec(key, now, container, blob, permissions, version, identifier, ipRange, protocol,
          encryptionScope, value, snapshot);
    }

    Spec withSnapshot(String value) {
      return new Spec(key, now, container, blob, permissions, version, identifier, ipRange, protocol,
          encryptionScope, contentType, value);
    }
  }
}
