package dev.latchkey.s3.internal;

import dev.latchkey.storage.ListPage;
import dev.latchkey.storage.ListPage.ObjectSummary;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads the XML documents of the S3 API: error bodies, ListObjectsV2 results and the answers of
 * multipart uploads. Elements are matched by local name, so the S3 namespace may be present or not,
 * and unknown elements are skipped.
 *
 * <p>The parser accepts no DTD and resolves no external entity, so a hostile endpoint cannot make it
 * read local files or expand entities without bound, and callers pass at most {@link
 * #MAX_DOCUMENT_BYTES}.
 */
public final class S3Xml {

  /** The largest XML document read from a response: 16 MiB, far above a 1,000-key listing. */
  public static final int MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

  private static final XMLInputFactory FACTORY = newFactory();

  private S3Xml() {}

  /** The fields of an S3 {@code <Error>} document; any of them may be {@code null}. */
  public record ErrorDocument(String code, String message, String requestId, String serverTime) {}

  /** The result of a ListObjectsV2 call. */
  public record ListResult(ListPage page, boolean truncated) {}

  /**
   * Parses an error body; a body that is empty or not XML gives an all-null document.
   */
  public static ErrorDocument parseError(byte[] body) {
    if (body.length == 0) {
      return new ErrorDocument(null, null, null, null);
    }
    String[] fields = new String[4];
    try {
      XMLStreamReader reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(body));
      while (reader.hasNext()) {
        if (reader.next() == XMLStreamConstants.START_ELEMENT) {
          storeErrorField(reader, fields);
        }
      }
    } catch (XMLStreamException e) {
      return new ErrorDocument(null, null, null, null);
    }
    return new ErrorDocument(fields[0], fields[1], fields[2], fields[3]);
  }

  private static void storeErrorField(XMLStreamReader reader, String[] fields) throws XMLStreamException {
    switch (reader.getLocalName()) {
      case "Code" -> fields[0] = reader.getElementText();
      case "Message" -> fields[1] = reader.getElementText();
      case "RequestId" -> fields[2] = reader.getElementText();
      case "ServerTime" -> fields[3] = reader.getElementText();
      default -> { }
    }
  }

  /**
   * Parses a {@code ListBucketResult} of ListObjectsV2. A response to a request with {@code
   * encoding-type=url} contains {@code <EncodingType>url</EncodingType>}, and then its keys and common
   * prefixes are URL-decoded with the HTML form rules ({@code +} is a space), the rules S3 encodes
   * them with. S3 never encodes the continuation token.
   *
   * @throws IOException if the document is not the expected XML
   */
  public static ListResult parseListV2(byte[] body) throws IOException {
    List<ObjectSummary> objects = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    String nextToken = null;
    boolean truncated = false;
    boolean urlEncoded = false;
    try {
      XMLStreamReader reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(body));
      while (reader.hasNext()) {
        if (reader.next() != XMLStreamConstants.START_ELEMENT) {
          continue;
        }
        switch (reader.getLocalName()) {
          case "Contents" -> objects.add(readContents(reader));
          case "CommonPrefixes" -> prefixes.add(readChild(reader, "CommonPrefixes", "Prefix"));
          case "NextContinuationToken" -> nextToken = reader.getElementText();
          case "IsTruncated" -> truncated = Boolean.parseBoolean(reader.getElementText().trim());
          case "EncodingType" -> urlEncoded = "url".equals(reader.getElementText().trim());
          default -> { }
        }
      }
      if (urlEncoded) {
        objects.replaceAll(object -> new ObjectSummary(urlDecode(object.key()), object.size(), object.eTag(),
            object.lastModified()));
        prefixes.replaceAll(S3Xml::urlDecode);
      }
    } catch (XMLStreamException | RuntimeException e) {
      throw new IOException("Invalid ListObjectsV2 response: " + e.getMessage(), e);
    }
    return new ListResult(new ListPage(objects, prefixes, truncated ? nextToken : null), truncated);
  }

  /**
   * Decodes a key of a listing with {@code encoding-type=url}.
   *
   * @throws IllegalArgumentException if it has an incomplete or invalid percent escape
   */
  private static String urlDecode(String encoded) {
    return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
  }

  private static ObjectSummary readContents(XMLStreamReader reader) throws XMLStreamException {
    String key = null;
    long size = -1;
    String eTag = null;
    Instant lastModified = null;
    while (reader.hasNext()) {
      int event = reader.next();
      if (event == XMLStreamConstants.END_ELEMENT && reader.getLocalName().equals("Contents")) {
        break;
      }
      if (event != XMLStreamConstants.START_ELEMENT) {
        continue;
      }
      switch (reader.getLocalName()) {
        case "Key" -> key = reader.getElementText();
        case "Size" -> size = Long.parseLong(reader.getElementText().trim());
        case "ETag" -> eTag = reader.getElementText();
        case "LastModified" -> lastModified = parseInstant(reader.getElementText());
        default -> skipElement(reader);
      }
    }
    if (key == null) {
      throw new XMLStreamException("a Contents element has no Key");
    }
    return new ObjectSummary(key, size, eTag, lastModified);
  }

  /** Returns the text of the first {@code child} inside the current {@code parent} element. */
  private static String readChild(XMLStreamReader reader, String parent, String child) throws XMLStreamException {
    String value = null;
    while (reader.hasNext()) {
      int event = reader.next();
      if (event == XMLStreamConstants.END_ELEMENT && reader.getLocalName().equals(parent)) {
        break;
      }
      if (event == XMLStreamConstants.START_ELEMENT && reader.getLocalName().equals(child) && value == null) {
        value = reader.getElementText();
      }
    }
    if (value == null) {
      throw new XMLStreamException("a " + parent + " element has no " + child);
    }
    return value;
  }

  /**
   * Returns the text of the first element named {@code name} anywhere in the document, or {@code
   * null}: the {@code UploadId} of InitiateMultipartUpload, the {@code Code} of an error.
   */
  public static String firstElementText(byte[] body, String name) throws IOException {
    try {
      XMLStreamReader reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(body));
      while (reader.hasNext()) {
        if (reader.next() == XMLStreamConstants.START_ELEMENT && reader.getLocalName().equals(name)) {
          return reader.getElementText();
        }
      }
      return null;
    } catch (XMLStreamException e) {
      throw new IOException("Invalid XML response: " + e.getMessage(), e);
    }
  }

  /** Returns the root element's local name, to tell a {@code CompleteMultipartUploadResult} from an {@code Error}. */
  public static String rootElement(byte[] body) throws IOException {
    try {
      XMLStreamReader reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(body));
      while (reader.hasNext()) {
        if (reader.next() == XMLStreamConstants.START_ELEMENT) {
          return reader.getLocalName();
        }
      }
      return null;
    } catch (XMLStreamException e) {
      throw new IOException("Invalid XML response: " + e.getMessage(), e);
    }
  }

  /** Writes a CompleteMultipartUpload document for the parts' ETags, in part order from 1. */
  public static byte[] completeMultipartUpload(List<String> eTags) {
    StringBuilder xml = new StringBuilder(64 + eTags.size() * 80).append("<CompleteMultipartUpload>");
    for (int i = 0; i < eTags.size(); i++) {
      xml.append("<Part><PartNumber>").append(i + 1).append("</PartNumber><ETag>")
          .append(escape(eTags.get(i))).append("</ETag></Part>");
    }
    return xml.append("</CompleteMultipartUpload>").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Reads at most {@code limit} bytes of a response body, failing if it is longer. */
  public static byte[] readBounded(InputStream in, int limit) throws IOException {
    byte[] bytes = in.readNBytes(limit + 1);
    if (bytes.length > limit) {
      throw new IOException("XML response longer than " + limit + " bytes");
    }
    return bytes;
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static void skipElement(XMLStreamReader reader) throws XMLStreamException {
    int depth = 1;
    while (depth > 0 && reader.hasNext()) {
      int event = reader.next();
      if (event == XMLStreamConstants.START_ELEMENT) {
        depth++;
      } else if (event == XMLStreamConstants.END_ELEMENT) {
        depth--;
      }
    }
  }

  private static Instant parseInstant(String text) {
    try {
      return Instant.parse(text.trim());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static XMLInputFactory newFactory() {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, true);
    factory.setProperty(XMLInputFactory.IS_COALESCING, true);
    return factory;
  }
}
