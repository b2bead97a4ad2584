package dev.latchkey.azure.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One element of a parsed XML document: its local name, attributes, text and child elements.
 * Immutable once {@link SafeXml} returns it.
 */
public final class XmlElement {

  private final String name;
  private final Map<String, String> attributes;
  private final List<XmlElement> children = new ArrayList<>();
  private final StringBuilder text = new StringBuilder();

  XmlElement(String name, Map<String, String> attributes) {
    this.name = name;
    this.attributes = attributes;
  }

  public String name() {
    return name;
  }

  /** Returns the value of an attribute, or {@code null}. */
  public String attribute(String attributeName) {
    return attributes.get(attributeName);
  }

  /** Returns the text directly inside this element. */
  public String text() {
    return text.toString();
  }

  /** Returns the first child with this name, or {@code null}. */
  public XmlElement child(String childName) {
    for (XmlElement child : children) {
      if (child.name.equals(childName)) {
        return child;
      }
    }
    return null;
  }

  /** Returns the text of the first child with this name, or {@code null} if there is no such child. */
  public String childText(String childName) {
    XmlElement child = child(childName);
    return child == null ? null : child.text();
  }

  /** Returns every child with this name, in document order. */
  public List<XmlElement> children(String childName) {
    List<XmlElement> matching = new ArrayList<>();
    for (XmlElement child : children) {
      if (child.name.equals(childName)) {
        matching.add(child);
      }
    }
    return matching;
  }

  /** Returns every child, in document order. */
  public List<XmlElement> children() {
    return List.copyOf(children);
  }

  void addChild(XmlElement child) {
    children.add(child);
  }

  void appendText(String chars) {
    text.append(chars);
  }
}
