package dev.latchkey.azure.internal.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Extracts the error code and description from the JSON error body of an identity endpoint, for
 * exception messages.
 *
 * <p>Only the members {@code error}, {@code error_description} and {@code message} are used, never
 * the body as a whole, so an unexpected body cannot carry a token into a message.
 */
public final class ErrorBodies {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_LENGTH = 300;

  private ErrorBodies() {}

  /** Returns "error: description", or a note that the body had neither. */
  public static String describe(String body) {
    List<String> parts = new ArrayList<>();
    try {
      JsonNode root = JSON.readTree(body);
      for (String member : List.of("error", "error_description", "message")) {
        JsonNode node = root == null ? null : root.get(member);
        if (node != null && node.isTextual() && !node.textValue().isBlank()) {
          parts.add(node.textValue());
        }
      }
    } catch (IOException e) {
      return "the body is not a JSON error";
    }
    return parts.isEmpty() ? "no error description" : clean(String.join(": ", parts));
  }

  private static String clean(String text) {
    String printable = text.replaceAll("\\p{Cntrl}", " ");
    return printable.length() <= MAX_LENGTH ? printable : printable.substring(0, MAX_LENGTH) + "...";
  }
}
