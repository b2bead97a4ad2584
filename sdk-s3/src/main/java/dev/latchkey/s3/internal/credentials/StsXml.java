package dev.latchkey.s3.internal.credentials;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.s3.credentials.StsException;
import java.io.IOException;
import java.io.StringReader;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * Parses the XML that the AWS STS Query API returns.
 *
 * <p>Elements are matched by local name whatever their namespace, and members may come in any
 * order. The parser rejects document type declarations, so external entities (XXE) and entity
 * expansion cannot be used against it. Thread-safe.
 */
public final class StsXml {

  private StsXml() {}

  /**
   * Reads the {@code Credentials} of an {@code AssumeRoleResponse} or {@code
   * AssumeRoleWithWebIdentityResponse}.
   *
   * @param source the name of the endpoint, for error messages
   * @throws CredentialException if the document is not well-formed or a member is missing; not
   *     retryable
   */
  public static AwsCredentials parseCredentials(String xml, String source) {
    Element root = parse(xml, source).getDocumentElement();
    Element credentials = firstDescendant(root, "Credentials");
    if (credentials == null) {
      throw new CredentialException(
          source + " returned no a Credentials element in " + root.getLocalName(), false);
    }

    return AwsCredentials.builder()
        .accessKeyId(requiredText(credentials, "AccessKeyId", source))
        .secretAccessKey(SecretValue.of(requiredText(credentials, "SecretAccessKey", source)))
        .sessionToken(SecretValue.of(requiredText(credentials, "SessionToken", source)))
        .expiresAt(Expirations.parse(requiredText(credentials, "Expiration", source), source))
        .build();
  }

  /**
   * Turns an STS error response into an {@link StsException}. A body that is not an STS error
   * document still gives an exception, with the code {@code Unknown}.
   */
  public static StsException parseError(String xml, int httpStatus) {
    Element root;
    try {
      root = parse(xml, "AWS STS").getDocumentElement();
    } catch (CredentialException e) {
      return new StsException("Unknown", "the error body is not STS XML", httpStatus, null);
    }

    Element error = firstDescendant(root, "Error");
    String code = error == null ? null : text(error, "Code");
    String message = error == null ? null : text(error, "Message");
    String requestId = text(root, "RequestId");
    return new StsException(code == null ? "Unknown" : code, message, httpStatus, requestId);
  }

  /**
   * Returns the text of the first descendant of {@code parent} with this local name, stripped of
   * surrounding white space; {@code null} if there is none.
   */
  public static String text(Element parent, String localName) {
    Element element = firstDescendant(parent, localName);
    return element == null ? null : element.getTextContent().strip();
  }

  /** Parses a document with a parser that refuses DTDs and external resources. */
  public static Document parse(String xml, String source) {
    try {
      DocumentBuilder builder = safeFactory().newDocumentBuilder();
      builder.setErrorHandler(null);
      return builder.parse(new InputSource(new StringReader(xml)));
    } catch (SAXException | IOException e) {
      throw new CredentialException(source + " returned a body that is not well-formed XML", e, false);
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("The JDK XML parser cannot be configured securely", e);
    }
  }

  private static DocumentBuilderFactory safeFactory() throws ParserConfigurationException {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
    factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
    factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    factory.setXIncludeAware(false);
    factory.setExpandEntityReferences(false);
    return factory;
  }

  private static String requiredText(Element parent, String localName, String source) {
    String value = text(parent, localName);
    if (value == null || value.isEmpty()) {
      throw new CredentialException(source + " returned no " + localName + " in Credentials", false);
    }
    return value;
  }

  private static Element firstDescendant(Element parent, String localName) {
    NodeList children = parent.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      Node child = children.item(i);
      if (child instanceof Element element) {
        if (localName.equals(element.getLocalName())) {
          return element;
        }
        Element nested = firstDescendant(element, localName);
        if (nested != null) {
          return nested;
        }
      }
    }
    return null;
  }
}
