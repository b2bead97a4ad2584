package dev.latchkey.azure.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.azure.SharedKeySigner;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.SharedKey;
import dev.latchkey.signing.SignableRequest;
import dev.latchkey.signing.SignableRequest.Header;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Differential properties of {@link SharedKeyLayout}: over random headers, values and paths, the
 * layout writes the same string to sign as the general {@link SharedKeyStrings#writeStringToSign},
 * whether it is built anew, reused with the same value objects, or reused with new values.
 */
class SharedKeyLayoutPropertiesTest {

  private static final String ACCOUNT = "myaccount";
  private static final String MS_DATE = "Thu, 05 Mar 2026 07:08:09 GMT";
  private static final String VERSION = "2025-11-05";
  private static final String KEY = Base64.getEncoder().encodeToString("layout-test-key".getBytes());

  private static final List<String> NAMES = List.of(
      "Content-Type", "content-type", "CONTENT-LENGTH", "Content-Length", "Content-MD5", "Content-Encoding",
      "Content-Language", "Date", "If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since",
      "Range", "x-ms-date", "X-MS-Date", "Authorization", "x-ms-version", "X-Ms-Version", "x-ms-version ",
      "x-ms-blob-type", "x-ms-meta-a", "X-MS-META-A", "x-ms-meta-b ", "x-ms-meta-Ünï", "x-ms-encryption-key",
      "x-ms-client-request-id", "User-Agent", "Accept");

  @Property(tries = 300)
  void layoutWritesGeneralStringToSign(@ForAll("requests") SignableRequest request,
      @ForAll("values") List<String> newValues) {
    String addedVersion = hasVersionHeader(request) ? null : VERSION;
    String expected = SharedKeyStrings.stringToSign(request, ACCOUNT, MS_DATE, addedVersion);

    assertThat(layoutStringToSign(request, addedVersion)).as("new layout").isEqualTo(expected);
    assertThat(layoutStringToSign(request, addedVersion)).as("same values").isEqualTo(expected);

    SignableRequest changed = withNewValues(request, newValues);
    String changedExpected = SharedKeyStrings.stringToSign(changed, ACCOUNT, MS_DATE, addedVersion);
    assertThat(layoutStringToSign(changed, addedVersion)).as("new values").isEqualTo(changedExpected);
  }

  @Property(tries = 200)
  void signerMatchesGeneralPath(@ForAll("requests") SignableRequest request) {
    SharedKeySigner signer = SharedKeySigner.create();
    SharedKey key = SharedKey.of(ACCOUNT, SecretValue.of(KEY));
    Instant time = Instant.parse("2026-03-05T07:08:09Z");

    SignableRequest signed = signer.sign(request, key, time);
    SignableRequest again = signer.sign(request, key, time);

    String addedVersion = hasVersionHeader(request) ? null : VERSION;
    String expectedStringToSign = SharedKeyStrings.stringToSign(request, ACCOUNT, MS_DATE, addedVersion);
    String signature = HmacSha256.of(Base64.getDecoder().decode(KEY)).signBase64(expectedStringToSign);
    assertThat(signed.headerValues("Authorization")).containsExactly("SharedKey " + ACCOUNT + ":" + signature);
    assertThat(signed.headerValues("x-ms-date")).containsExactly(MS_DATE);
    assertThat(signed.headers()).isEqualTo(again.headers());
    List<Header> unreplaced = request.headers().stream()
        .filter(h -> !h.name().equalsIgnoreCase("x-ms-date") && !h.name().equalsIgnoreCase("Authorization"))
        .toList();
    assertThat(signed.headers().subList(0, unreplaced.size())).as("headers signing does not replace")
        .isEqualTo(unreplaced);
  }

  private static String layoutStringToSign(SignableRequest request, String addedVersion) {
    SigningBuffer buffer = SigningBuffer.current();
    SharedKeyLayout layout = SharedKeyLayout.of(buffer, request.headers());
    if (layout == null) {
      // The first request with these names takes the general path; the second one builds a layout.
      layout = SharedKeyLayout.of(buffer, request.headers());
    }
    assertThat(layout).as("layout for names seen twice").isNotNull();
    assertThat(layout.hasVersionHeader()).isEqualTo(addedVersion == null);
    layout.writeStringToSign(buffer, request, ACCOUNT, MS_DATE, addedVersion);
    return buffer.toString();
  }

  private static boolean hasVersionHeader(SignableRequest request) {
    return request.headers().stream().anyMatch(header -> header.name().equalsIgnoreCase("x-ms-version"));
  }

  /** Returns the request with the same header name objects and the given values in turn. */
  private static SignableRequest withNewValues(SignableRequest request, List<String> values) {
    List<Header> headers = new ArrayList<>();
    for (int i = 0; i < request.headers().size(); i++) {
      Header header = request.headers().get(i);
      headers.add(new Header(header.name(), values.get(i % values.size())));
    }
    return request.withHeaders(headers);
  }

  @Provide
  Arbitrary<SignableRequest> requests() {
    Arbitrary<Header> headers = Combinators.combine(Arbitraries.of(NAMES), values().flatMap(Arbitraries::of))
        .as(Header::new);
    Arbitrary<String> paths = Arbitraries.of("/c/b", "/c/dir/%C3%A9t%C3%A9.txt", "", "/c/a%20b", "/myaccount/c/b");
    Arbitrary<String> queries = Arbitraries.of("", "?comp=block&blockid=AAA%3D", "?restype=container&comp=list",
        "?comp=metadata&COMP=x", "?b=2&a=1&b=1");
    Arbitrary<byte[]> bodies = Arbitraries.of(new byte[0], new byte[12]).injectNull(0.4);
    return Combinators.combine(Arbitraries.of("GET", "PUT", "HEAD", "DELETE"), paths, queries,
            headers.list().ofMaxSize(9), bodies)
        .as((method, path, query, list, body) -> {
          SignableRequest.Builder builder =
              SignableRequest.builder(method, URI.create("https://myaccount.blob.core.windows.net" + path + query));
          list.forEach(header -> builder.addHeader(header.name(), header.value()));
          return builder.body(body).build();
        });
  }

  @Provide
  Arbitrary<List<String>> values() {
    Arbitrary<String> plain = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(30);
    Arbitrary<String> unicode = Arbitraries.strings().withChars("aé€ \t😀ß").ofMinLength(1).ofMaxLength(8);
    Arbitrary<String> fixed = Arbitraries.of("0", "1024", "  padded  ", "2014-02-14", "2025-11-05", "",
        "x".repeat(300));
    return Arbitraries.oneOf(plain, unicode, fixed).list().ofMinSize(1).ofMaxSize(4);
  }
}
