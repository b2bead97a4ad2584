package dev.latchkey.policy.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Finds the line and column of a JSON pointer in a document, so that errors found after binding can
 * point into the text as parse errors do.
 */
final class JsonLocator {

  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonLocator() {}

  /**
   * Returns the location of the value at {@code pointer}, or of its closest ancestor when the value
   * is missing, or {@code null} when the text cannot be scanned.
   */
  static JsonLocation locate(String json, String pointer) {
    String target = pointer;
    while (true) {
      JsonLocation location = find(json, target);
      if (location != null || target.isEmpty()) {
        return location;
      }
      target = target.substring(0, target.lastIndexOf('/'));
    }
  }

  private static JsonLocation find(String json, String pointer) {
    try (JsonParser parser = FACTORY.createParser(json)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        if (token == JsonToken.FIELD_NAME || token.isStructEnd()) {
          continue;
        }
        JsonStreamContext context = parser.getParsingContext();
        if (token.isStructStart()) {
          context = context.getParent();
        }
        if (context.pathAsPointer().toString().equals(pointer)) {
          return parser.currentTokenLocation();
        }
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }
}
