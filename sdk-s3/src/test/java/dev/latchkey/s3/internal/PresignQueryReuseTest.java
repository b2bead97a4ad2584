package dev.latchkey.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.signing.SignableRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Presigning a request without a query of its own reuses the SigV4 query of the previous such URL
 * on the thread (see {@link SigningWorkspace#reusePresignQuery}). These tests check that a URL made
 * that way is the same as one built from scratch, over random requests, credentials, engines,
 * expiries and signing times.
 */
class PresignQueryReuseTest {

  private static final Instant DAY = Instant.parse("2026-03-01T00:00:00Z");
  private static final AwsCredentials KEYS =
      AwsCredentials.of("AKIDEXAMPLE", SecretValue.of("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"));
  private static final AwsCredentials TEMPORARY = AwsCredentials.builder().accessKeyId("ASIAEXAMPLE")
      .secretAccessKey(SecretValue.of("temporary/secret+key")).sessionToken(SecretValue.of("token/+=value"))
      .build();
  private static final List<SigV4Engine> ENGINES = List.of(
      new SigV4Engine("us-east-1", "s3", false, false, true, true, true),
      new SigV4Engine("eu-west-1", "s3", false, false, true, false, true),
      new SigV4Engine("us-east-1", "service", true, true, false, true, false));
  private static final String[] PATH_PIECES = {"a", "Key", "0", "-", "_", ".", "~", "/", "//", "..", "%20", "%2F",
      "%7e", "$", "+", "=", "&", " ", "é", "ሴ", "\uD83D\uDE00"};
  private static final String[] HEADER_NAMES = {"Content-Type", "x-amz-meta-owner", "Range", "X-Amz-Meta-Owner"};

  @Property(tries = 500)
  void reusedQueryGivesSameUrl(@ForAll long seed) throws URISyntaxException {
    Random random = new Random(seed);
    SigV4Engine engine = ENGINES.get(random.nextInt(ENGINES.size()));
    AwsCredentials credentials = random.nextBoolean() ? KEYS : TEMPORARY;
    long expiry = 1 + random.nextInt(604_800);
    Instant time = DAY.plusSeconds(random.nextInt(86_400));
    Instant otherTime = DAY.plusSeconds(random.nextInt(86_400));
    List<String> headerNames = randomHeaderNames(random);
    SignableRequest request = randomRequest(random, headerNames);
    SignableRequest priming = randomRequest(random, headerNames);

    SigningWorkspace.current().forgetPresignQuery();
    SigV4Engine.Trace freshTrace = new SigV4Engine.Trace();
    String fresh = engine.presign(request, credentials, time, expiry, freshTrace);
    SigningWorkspace.current().forgetPresignQuery();
    engine.presign(priming, credentials, otherTime, expiry, null);
    SigV4Engine.Trace reusedTrace = new SigV4Engine.Trace();
    String reused = engine.presign(request, credentials, time, expiry, reusedTrace);

    assertThat(reused).isEqualTo(fresh);
    assertThat(reusedTrace.canonicalRequest).isEqualTo(freshTrace.canonicalRequest);
    assertThat(reusedTrace.signature).isEqualTo(freshTrace.signature);
  }

  @Test
  void reuseRewritesDateOfEarlierSecond() {
    SigV4Engine engine = ENGINES.get(0);
    SignableRequest first = SignableRequest.builder("GET", URI.create("https://b.example/first")).build();
    SignableRequest second = SignableRequest.builder("GET", URI.create("https://b.example/second")).build();
    SigningWorkspace.current().forgetPresignQuery();
    engine.presign(first, KEYS, DAY.plusSeconds(1), 60, null);

    String reused = engine.presign(second, KEYS, DAY.plusSeconds(3_599), 60, null);
    SigningWorkspace.current().forgetPresignQuery();
    String fresh = engine.presign(second, KEYS, DAY.plusSeconds(3_599), 60, null);

    assertThat(reused).contains("X-Amz-Date=20260301T005959Z&");
    assertThat(reused).isEqualTo(fresh);
  }

  @Test
  void requestWithoutQueryReusesParameters() {
    SigV4Engine engine = ENGINES.get(0);
    SignableRequest first = SignableRequest.builder("GET", URI.create("https://b.example/first")).build();
    SignableRequest second = SignableRequest.builder("GET", URI.create("https://b.example/second")).build();
    SigningWorkspace.current().forgetPresignQuery();
    engine.presign(first, KEYS, DAY.plusSeconds(1), 60, null);

    engine.presign(second, KEYS, DAY.plusSeconds(2), 60, null);

    // Building the query from scratch refills the parameter list; reusing it leaves the list of the
    // first URL, with its date, in place.
    assertThat(parameterText()).contains("20260301T000001Z");
  }

  @Test
  void changedExpiryBuildsQueryAgain() {
    SigV4Engine engine = ENGINES.get(0);
    SignableRequest get = SignableRequest.builder("GET", URI.create("https://b.example/k")).build();
    SigningWorkspace.current().forgetPresignQuery();
    engine.presign(get, KEYS, DAY, 60, null);

    String url = engine.presign(get, KEYS, DAY, 61, null);

    assertThat(url).contains("X-Amz-Expires=61&");
    assertThat(parameterText()).contains("X-Amz-Expires61");
  }

  private static String parameterText() {
    ByteBuf params = SigningWorkspace.current().params;
    return new String(params.array(), 0, params.length(), StandardCharsets.ISO_8859_1);
  }

  private static List<String> randomHeaderNames(Random random) {
    int count = random.nextInt(3);
    String[] names = new String[count];
    for (int i = 0; i < count; i++) {
      names[i] = HEADER_NAMES[random.nextInt(HEADER_NAMES.length)];
    }
    return List.of(names);
  }

  /**
   * Returns a request with a random method, authority and path, with no query, an empty query or a
   * query of its own, and with the given header names. The path and user information may contain
   * characters that are not ASCII, which {@link URI} keeps as they are.
   */
  private static SignableRequest randomRequest(Random random, List<String> headerNames) throws URISyntaxException {
    StringBuilder path = new StringBuilder("/");
    int pieces = random.nextInt(8);
    for (int i = 0; i < pieces; i++) {
      path.append(PATH_PIECES[random.nextInt(PATH_PIECES.length)]);
    }
    String userInfo = switch (random.nextInt(4)) {
      case 0 -> "user";
      case 1 -> "us\u1234r";
      default -> null;
    };
    int port = random.nextBoolean() ? -1 : 1 + random.nextInt(65_535);
    String scheme = random.nextBoolean() ? "https" : "http";
    URI base = new URI(scheme, userInfo, "bucket.s3.example.com", port, null, null, null);
    String query = switch (random.nextInt(4)) {
      case 0 -> "?";
      case 1 -> "?versionId=v%2B1&list-type=2";
      default -> "";
    };
    URI uri = URI.create(base + path.toString().replace(" ", "%20") + query);
    if (random.nextBoolean()) {
      uri = new URI(scheme, userInfo, "bucket.s3.example.com", port, path.toString(), null, null);
    }
    SignableRequest.Builder builder = SignableRequest.builder(random.nextBoolean() ? "GET" : "PUT", uri);
    for (String name : headerNames) {
      builder.addHeader(name, "value " + random.nextInt(10));
    }
    return builder.build();
  }
}
