package dev.latchkey.azure.internal;

import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Parses the XML bodies of Azure Storage responses without the risks of general XML. DTDs and
 * external entities are rejected, and nesting depth and element count are bounded. So a hostile or
 * broken body cannot read files, reach the network or exhaust memory. Callers bound the body size
 * before parsing. Thread-safe.
 */
public final class SafeXml {

  /** Deeper than any Blob Storage response, which nests about five levels. */
  static final int MAX_DEPTH = 32;
  /** A List Blobs page of 5,000 blobs with metadata has about 100,000 elements. */
  static final int MAX_ELEMENTS = 500_000;

  private static final XMLInputFactory FACTORY = newFactory();

  private SafeXml() {}

  /**
   * Parses a document and returns its root element.
   *
   * @throws IllegalArgumentException if the body is not well-formed XML, has a DTD, or exceeds the
   *     depth or element bounds; the message names the problem
   */
  public static XmlElement parse(byte[] body) {
    try {
      XMLStreamReader reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(body));
      try {
        return read(reader);
      } finally {
        reader.close();
      }
    } catch (XMLStreamException e) {
      throw new IllegalArgumentException("Malformed XML response: " + e.getMessage(), e);
    }
  }

  private static XmlElement read(XMLStreamReader reader) throws XMLStreamException {
    Deque<XmlElement> open = new ArrayDeque<>();
    XmlElement root = null;
    int elements = 0;
    while (reader.hasNext()) {
      int event = reader.next();
      if (event == XMLStreamConstants.DTD) {
        throw new IllegalArgumentException("Invalid XML response: it has a DTD, which Azure Storage never sends");
      } else if (event == XMLStreamConstants.START_ELEMENT) {
        if (++elements > MAX_ELEMENTS || open.size() >= MAX_DEPTH) {
          throw new IllegalArgumentException("Invalid XML response: more than " + MAX_ELEMENTS
              + " elements or deeper than " + MAX_DEPTH + " levels");
        }
        XmlElement element = new XmlElement(reader.getLocalName(), attributes(reader));
        if (open.isEmpty()) {
          root = element;
        } else {
          open.peek().addChild(element);
        }
        open.push(element);
      } else if (event == XMLStreamConstants.END_ELEMENT) {
        open.pop();
      } else if ((event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) && !open.isEmpty()) {
        open.peek().appendText(reader.getText());
      }
    }
    if (root == null) {
      throw new IllegalArgumentException("Invalid XML response: it has no root element");
    }
    return root;
  }

  private static Map<String, String> attributes(XMLStreamReader reader) {
    int count = reader.getAttributeCount();
    if (count == 0) {
      return Map.of();
    }
    Map<String, String> attributes = new HashMap<>(count * 2);
    for (int i = 0; i < count; i++) {
      attributes.put(reader.getAttributeLocalName(i), reader.getAttributeValue(i));
    }
    return attributes;
  }

  private static XMLInputFactory newFactory() {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    factory.setProperty(XMLInputFactory.IS_COALESCING, true);
    return factory;
  }
}
