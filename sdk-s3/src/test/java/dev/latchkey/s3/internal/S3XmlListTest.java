package dev.latchkey.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.storage.ListPage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Decoding of ListObjectsV2 documents with and without {@code encoding-type=url}. */
class S3XmlListTest {

  private static ListPage parse(String encodingType, String key, String prefix) throws IOException {
    String xml = "<ListBucketResult><IsTruncated>true</IsTruncated><NextContinuationToken>t%2B1</NextContinuationToken>"
        + "<Contents><Key>" + key + "</Key><Size>3</Size></Contents>"
        + "<CommonPrefixes><Prefix>" + prefix + "</Prefix></CommonPrefixes>"
        + (encodingType == null ? "" : "<EncodingType>" + encodingType + "</EncodingType>")
        + "</ListBucketResult>";
    return S3Xml.parseListV2(xml.getBytes(StandardCharsets.UTF_8)).page();
  }

  @Test
  void urlEncodedKeysAreDecoded() throws IOException {
    ListPage page = parse("url", "a%01b+c%2Bd%25e%C3%BC", "p%1F+q%2F");

    assertThat(page.objects().get(0).key()).isEqualTo("a\u0001b c+d%eü");
    assertThat(page.commonPrefixes()).containsExactly("p\u001f q/");
  }

  @Test
  void continuationTokenIsNotDecoded() throws IOException {
    ListPage page = parse("url", "k", "p/");

    assertThat(page.nextContinuationToken()).isEqualTo("t%2B1");
  }

  @Test
  void keysWithoutEncodingTypeStayAsSent() throws IOException {
    ListPage page = parse(null, "a+b%41", "c+%2F");

    assertThat(page.objects().get(0).key()).isEqualTo("a+b%41");
    assertThat(page.commonPrefixes()).containsExactly("c+%2F");
  }

  @Test
  void invalidEscapeIsRejected() {
    assertThatThrownBy(() -> parse("url", "a%G1", "p/"))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("Invalid ListObjectsV2 response");
  }
}
