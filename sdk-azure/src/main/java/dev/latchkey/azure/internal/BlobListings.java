package dev.latchkey.azure.internal;

import dev.latchkey.storage.ListPage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Parses List Blobs responses ({@code EnumerationResults}) into {@link ListPage}s. */
public final class BlobListings {

  private BlobListings() {}

  /**
   * Parses one page.
   *
   * @throws IllegalArgumentException if the document is not a List Blobs result; the message names the problem
   */
  public static ListPage parse(byte[] body) {
    XmlElement root = SafeXml.parse(body);
    if (!root.name().equals("EnumerationResults")) {
      throw new IllegalArgumentException("expected EnumerationResults but the root element is " + root.name());
    }
    XmlElement blobs = root.child("Blobs");
    List<ListPage.ObjectSummary> objects = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    if (blobs != null) {
      for (XmlElement blob : blobs.children("Blob")) {
        objects.add(summary(blob));
      }
      for (XmlElement prefix : blobs.children("BlobPrefix")) {
        prefixes.add(name(prefix.child("Name")));
      }
    }
    String next = root.childText("NextMarker");
    return new ListPage(objects, prefixes, next == null || next.isEmpty() ? null : next);
  }

  private static ListPage.ObjectSummary summary(XmlElement blob) {
    XmlElement properties = blob.child("Properties");
    if (properties == null) {
      throw new IllegalArgumentException("a Blob element has no Properties");
    }
    String length = properties.childText("Content-Length");
    String lastModified = properties.childText("Last-Modified");
    return new ListPage.ObjectSummary(name(blob.child("Name")),
        length == null || length.isEmpty() ? 0 : Long.parseLong(length.trim()),
        properties.childText("Etag"), lastModified == null ? null : parseDate(lastModified));
  }

  /** Returns a name, decoding it when the service percent-encoded it ({@code Encoded="true"}). */
  private static String name(XmlElement name) {
    if (name == null) {
      throw new IllegalArgumentException("an entry has no Name");
    }
    return "true".equalsIgnoreCase(name.attribute("Encoded")) ? percentDecode(name.text()) : name.text();
  }

  private static Instant parseDate(String text) {
    try {
      return HttpDates.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("invalid Last-Modified '" + text + "'", e);
    }
  }

  private static String percentDecode(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < utf8.length; i++) {
      if (utf8[i] == '%' && i + 2 < utf8.length) {
        bytes.write(Integer.parseInt(new String(utf8, i + 1, 2, StandardCharsets.US_ASCII), 16));
        i += 2;
      } else {
        bytes.write(utf8[i]);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
