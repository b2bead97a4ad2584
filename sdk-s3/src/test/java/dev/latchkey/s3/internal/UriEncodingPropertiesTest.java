package dev.latchkey.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;

/** Properties of the SigV4 percent-encoding, over generated text. */
class UriEncodingPropertiesTest {

  @Property
  void encodedPathDecodesToOriginal(@ForAll @StringLength(max = 40) String text) {
    String withoutSurrogates = text.codePoints().filter(c -> !Character.isSurrogate((char) c) || c > 0xFFFF)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();

    String encoded = UriEncoding.encodePath(withoutSurrogates);

    assertThat(decode(encoded)).isEqualTo(withoutSurrogates);
    assertThat(encoded).matches("([A-Za-z0-9\\-_.~/]|%[0-9A-F]{2})*");
  }

  @Property
  void objectKeyDecodesToOriginal(
      @ForAll @StringLength(max = 30) @Chars({'/', '.', ' ', '+', '%', 'a', 'é'}) @CharRange(from = '0', to = '9') String key) {
    String encoded = UriEncoding.encodeObjectKey(key);

    assertThat(decode(encoded)).isEqualTo(key);
    assertThat(encoded).doesNotContain("//");
    assertThat(encoded).doesNotStartWith("/");
    assertThat(encoded).doesNotEndWith("/");
    if (!key.equals(".") && !key.equals("..")) {
      assertThat(encoded.split("/", -1)).doesNotContain(".", "..");
    }
  }

  @Property
  void canonicalQueryOfEncodedTextIsUnchanged(@ForAll @StringLength(max = 40) @CharRange(from = ' ', to = '~') String text) {
    String encoded = UriEncoding.encodeQueryComponent(text);
    ByteBuf canonical = new ByteBuf(16);

    UriEncoding.appendQueryComponentCanonical(canonical, encoded, 0, encoded.length());

    assertThat(canonical.toAsciiString(0, canonical.length())).isEqualTo(encoded);
  }

  @Property
  void canonicalPathKeepsEncodedPath(@ForAll @StringLength(max = 40) @CharRange(from = ' ', to = '~') String text) {
    String encoded = UriEncoding.encodePath(text);
    ByteBuf canonical = new ByteBuf(16);

    UriEncoding.appendPathKeepingEscapes(canonical, encoded);

    assertThat(canonical.toAsciiString(0, canonical.length())).isEqualTo(encoded);
  }

  private static String decode(String encoded) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '%') {
        bytes.write(Integer.parseInt(encoded.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
