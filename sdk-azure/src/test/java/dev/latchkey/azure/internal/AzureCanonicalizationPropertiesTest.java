package dev.latchkey.azure.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.signing.SignableRequest.Header;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of the Azure Shared Key canonicalized headers and resource and of the percent coding
 * over random names, headers and blob paths.
 */
class AzureCanonicalizationPropertiesTest {

  @Property(tries = 200)
  void queryComponentRoundTrips(@ForAll String text) {
    Assume.that(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(text));

    String encoded = PercentCoding.encodeQueryComponent(text);

    assertThat(encoded).matches("[A-Za-z0-9\\-._~%]*");
    assertThat(PercentCoding.decodeQueryComponent(encoded)).isEqualTo(text);
  }

  @Property(tries = 200)
  void canonicalizedHeadersIgnoreOrderCaseAndPadding(@ForAll("msHeaders") Map<String, String> headers, @ForAll long seed) {
    List<Header> plain = new ArrayList<>();
    headers.forEach((name, value) -> plain.add(new Header(name, value)));
    List<Header> shuffled = new ArrayList<>();
    headers.forEach((name, value) -> shuffled.add(new Header(name.toUpperCase(Locale.ROOT), "  " + value + " ")));
    Collections.shuffle(shuffled, new Random(seed));
    shuffled.add(new Header("Content-Type", "text/plain"));

    String canonical = SharedKeyStrings.canonicalizedHeaders(plain);

    assertThat(SharedKeyStrings.canonicalizedHeaders(shuffled)).isEqualTo(canonical);
    List<String> lines = canonical.isEmpty() ? List.of() : List.of(canonical.split("\n"));
    assertThat(lines).hasSize(headers.size()).allSatisfy(line -> assertThat(line).startsWith("x-ms-").contains(":"));
    assertThat(lines.stream().map(line -> line.substring(0, line.indexOf(':'))).toList()).as("header names").isSorted();
  }

  @Provide
  Arbitrary<Map<String, String>> msHeaders() {
    Arbitrary<String> names = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz-").ofMinLength(1).ofMaxLength(10)
        .map(name -> "x-ms-" + name);
    Arbitrary<String> values = Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(20);
    return Arbitraries.maps(names, values).ofMaxSize(6);
  }

  @Property(tries = 200)
  void canonicalizedResourceNamesAccountAndDecodedPath(@ForAll("blobNames") String blob) {
    URI uri = URI.create("https://acct.blob.core.windows.net/container/" + PercentCoding.encodePath(blob) + "?comp=list&restype=container");

    String resource = SharedKeyStrings.canonicalizedResource("acct", uri);

    assertThat(resource).startsWith("/acct/container/");
    assertThat(resource).contains("\ncomp:list");
  }

  @Provide
  Arbitrary<String> blobNames() {
    return Arbitraries.strings().withCharRange(' ', '~').withChars('é', '\u4e2d').ofMinLength(1).ofMaxLength(40);
  }
}
