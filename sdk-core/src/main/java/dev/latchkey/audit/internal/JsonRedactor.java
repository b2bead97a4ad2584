package dev.latchkey.audit.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.latchkey.credentials.SecretValue;
import java.io.IOException;
import java.io.StringWriter;

/**
 * Redacts a JSON document by parsing it: the value of every member with a {@linkplain SensitiveNames
 * sensitive} name, whatever its type, becomes the mask, and every other string value is redacted as
 * free text. Member names written with escapes ({@code "acc\u0065ss_token"}) are compared decoded.
 *
 * <p>A document that does not parse (a truncated error body, for example) is redacted as free text
 * instead. The output is compact JSON; white space of the input is not kept.
 */
public final class JsonRedactor {

  private static final JsonFactory FACTORY = JsonFactory.builder().build();

  private JsonRedactor() {}

  /** Returns the redacted document. */
  public static String redact(String json) {
    try {
      return reparse(json);
    } catch (IOException e) {
      return TextRedactor.redact(json);
    }
  }

  private static String reparse(String json) throws IOException {
    StringWriter out = new StringWriter(json.length());
    try (JsonParser parser = FACTORY.createParser(json);
        JsonGenerator generator = FACTORY.createGenerator(out)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        copyToken(parser, generator, token);
      }
    }
    return out.toString();
  }

  private static void copyToken(JsonParser parser, JsonGenerator generator, JsonToken token)
      throws IOException {
    if (token == JsonToken.FIELD_NAME && SensitiveNames.isSensitive(parser.currentName())) {
      generator.writeFieldName(parser.currentName());
      parser.nextToken();
      parser.skipChildren();
      generator.writeString(SecretValue.MASK);
    } else if (token == JsonToken.VALUE_STRING) {
      generator.writeString(TextRedactor.redact(parser.getText()));
    } else {
      generator.copyCurrentEvent(parser);
    }
  }
}
