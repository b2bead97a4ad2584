package dev.latchkey.azure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.SharedKey;
import dev.latchkey.signing.SignableRequest;
import dev.latchkey.signing.SignableRequest.Header;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Compares {@link SharedKeySigner} with a Shared Key signature computed here, independently, from
 * the rules of Microsoft's "Authorize with Shared Key" reference, over the headers of the signed
 * request as a server receives them. Where the reference leaves details open, this test follows
 * what Azurite 3.35.0 checks: header values trimmed with inner whitespace kept, and {@code _}
 * sorted before digits and letters. Several threads alternate between more kinds of request than
 * a thread keeps layouts for, reuse the same header name objects with changing values, and mix in
 * names that are equal but different objects.
 */
class SharedKeyReferenceTest {

  private static final String ACCOUNT = "devstoreaccount1";
  private static final String KEY = Base64.getEncoder().encodeToString(
      "reference-test-key-0123456789".getBytes(StandardCharsets.US_ASCII));
  private static final SharedKey CREDENTIAL = SharedKey.of(ACCOUNT, SecretValue.of(KEY));
  private static final String[] STANDARD_HEADERS = {
    "Content-Encoding", "Content-Language", "Content-Length", "Content-MD5", "Content-Type", "Date",
    "If-Modified-Since", "If-Match", "If-None-Match", "If-Unmodified-Since", "Range"
  };

  // Header names as constants, so that each request kind reuses the same objects.
  private static final String CONTENT_TYPE = "Content-Type";
  private static final String CONTENT_LENGTH = "Content-Length";
  private static final String RANGE = "Range";
  private static final String IF_MATCH = "If-Match";
  private static final String BLOB_TYPE = "x-ms-blob-type";
  private static final String VERSION = "x-ms-version";
  private static final String META_ZERO = "x-ms-meta-i0";
  private static final String META_UNDERSCORE = "x-ms-meta-i_";
  private static final String META_UPPER = "X-MS-META-Owner";
  private static final String BLOB_CONTENT_TYPE = "x-ms-blob-content-type";
  private static final String CLIENT_REQUEST_ID = "x-ms-client-request-id";

  private static final String[] VALUES = {
    "plain", " padded ", "\tpadded tab\t", "inner  spaces", "inner\ttab", "", "é", "日本", "a,b", "😀"
  };
  private static final int THREADS = 6;
  private static final int REQUESTS_PER_THREAD = 3_000;

  private final SharedKeySigner signer = SharedKeySigner.create();

  @Test
  void signaturesMatchReferenceAcrossThreads() throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<String> mismatches = new CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        Random random = new Random(t);
        results.add(pool.submit(() -> {
          start.await();
          int checked = 0;
          for (int i = 0; i < REQUESTS_PER_THREAD && mismatches.size() < 5; i++) {
            SignableRequest request = requestOfKind(i % 7, random);
            checkAgainstReference(request, Instant.ofEpochSecond(1_770_000_000L + i), mismatches);
            checked++;
          }
          return checked;
        }));
      }
      start.countDown();
      int checked = 0;
      for (Future<Integer> result : results) {
        checked += result.get(2, TimeUnit.MINUTES);
      }

      assertThat(mismatches).isEmpty();
      assertThat(checked).isEqualTo(THREADS * REQUESTS_PER_THREAD);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void changedHeaderListSignsAsBuilt() {
    List<String> mismatches = new ArrayList<>();
    List<Header> headers = new ArrayList<>(List.of(new Header(CONTENT_TYPE, "text/plain"),
        new Header(META_ZERO, "first")));
    URI uri = URI.create("http://127.0.0.1:10000/devstoreaccount1/c/b");

    for (int i = 0; i < 6; i++) {
      SignableRequest request = SignableRequest.builder("PUT", uri).build().withHeaders(headers);
      headers.set(1, new Header(META_ZERO, "value-" + i));
      if (i == 3) {
        headers.add(new Header(META_UNDERSCORE, "added"));
      }
      checkAgainstReference(request, Instant.ofEpochSecond(1_770_000_000L), mismatches);
    }

    assertThat(mismatches).isEmpty();
  }

  /** Returns a request of one of seven kinds, with values drawn from {@link #VALUES}. */
  private static SignableRequest requestOfKind(int kind, Random random) {
    URI blob = URI.create("http://127.0.0.1:10000/devstoreaccount1/container/dir%20one/blob-" + kind);
    SignableRequest.Builder builder;
    switch (kind) {
      case 0 -> builder = SignableRequest.builder("PUT", blob).addHeader(BLOB_TYPE, "BlockBlob")
          .addHeader(CONTENT_TYPE, value(random)).addHeader(META_ZERO, value(random))
          .addHeader(META_UNDERSCORE, value(random)).body(new byte[random.nextInt(3)]);
      case 1 -> builder = SignableRequest.builder("GET", blob).addHeader(RANGE, "bytes=0-" + random.nextInt(100))
          .addHeader(IF_MATCH, value(random));
      case 2 -> builder = SignableRequest.builder("PUT", URI.create(blob + "?comp=blocklist"))
          .addHeader(CONTENT_LENGTH, random.nextBoolean() ? "0" : " 12 ")
          .addHeader(BLOB_CONTENT_TYPE, value(random)).addHeader(META_UPPER, value(random));
      case 3 -> builder = SignableRequest.builder("PUT", blob).addHeader(VERSION, random.nextBoolean()
          ? "2014-02-14" : "2021-08-06").addHeader(CONTENT_LENGTH, "0").addHeader(META_ZERO, value(random));
      case 4 -> builder = SignableRequest.builder("HEAD", blob)
          // Equal names that are new objects on every request.
          .addHeader(new String(CLIENT_REQUEST_ID), value(random)).addHeader(new String(META_ZERO), value(random));
      case 5 -> builder = SignableRequest.builder("PUT", blob).addHeader(META_ZERO, value(random))
          .addHeader(META_ZERO, value(random)).addHeader("x-ms-date", "stale").addHeader("Authorization", "old");
      default -> builder = SignableRequest.builder("DELETE", URI.create(blob + "?snapshot=2026-01-01T00%3A00%3A00Z"))
          .addHeader(CLIENT_REQUEST_ID, value(random)).addHeader(CONTENT_TYPE, value(random));
    }
    return builder.build();
  }

  private static String value(Random random) {
    return VALUES[random.nextInt(VALUES.length)];
  }

  private void checkAgainstReference(SignableRequest request, Instant time, List<String> mismatches) {
    SignableRequest signed = signer.sign(request, CREDENTIAL, time);
    String expected = "SharedKey " + ACCOUNT + ":" + hmacBase64(referenceStringToSign(signed));
    String actual = signed.firstHeader("Authorization").orElse("(none)");
    if (!expected.equals(actual)) {
      mismatches.add(request + " with headers " + request.headers() + ": expected string to sign "
          + referenceStringToSign(signed).replace("\n", "\\n"));
    }
  }

  /** Builds the string to sign from the request as a server receives it, with trimmed header values. */
  private static String referenceStringToSign(SignableRequest signed) {
    StringBuilder text = new StringBuilder(signed.method()).append('\n');
    String version = signed.firstHeader("x-ms-version").orElseThrow().trim();
    for (String name : STANDARD_HEADERS) {
      String value = signed.firstHeader(name).map(String::trim).orElse("");
      if (name.equals("Content-Length")) {
        if (value.isEmpty() && signed.bodyLength() > 0) {
          value = Long.toString(signed.bodyLength());
        }
        if (value.equals("0") && version.compareTo("2015-02-21") >= 0) {
          value = "";
        }
      }
      text.append(value).append('\n');
    }

    // Canonicalized headers: lower-case names in the service's order, which puts _ after - and
    // before digits and letters (as '.' sorts, which no name here contains), and the values of a
    // repeated name joined with commas in the order sent.
    Map<String, String> msHeaders = new TreeMap<>(Comparator.comparing((String name) -> name.replace('_', '.')));
    for (Header header : signed.headers()) {
      String name = header.name().toLowerCase(Locale.ROOT);
      if (name.startsWith("x-ms-")) {
        msHeaders.merge(name, header.value().trim(), (first, next) -> first + "," + next);
      }
    }
    msHeaders.forEach((name, value) -> text.append(name).append(':').append(value).append('\n'));

    URI uri = signed.uri();
    text.append('/').append(ACCOUNT).append(uri.getRawPath());
    if (uri.getRawQuery() != null) {
      Map<String, String> parameters = new TreeMap<>();
      for (String pair : uri.getRawQuery().split("&")) {
        String[] parts = pair.split("=", 2);
        parameters.merge(URLDecoder.decode(parts[0], StandardCharsets.UTF_8).toLowerCase(Locale.ROOT),
            URLDecoder.decode(parts.length > 1 ? parts[1] : "", StandardCharsets.UTF_8), (a, b) -> a + "," + b);
      }
      parameters.forEach((name, value) -> text.append('\n').append(name).append(':').append(value));
    }
    return text.toString();
  }

  private static String hmacBase64(String stringToSign) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Base64.getDecoder().decode(KEY), "HmacSHA256"));
      return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
