package dev.latchkey.auth.jose;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON objects of JOSE headers, claims and keys, read and written with one shared Jackson mapper. */
final class JoseJson {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {};

  private JoseJson() {}

  /**
   * Parses a JSON object, keeping member order. Duplicate member names are rejected, as RFC 7515
   * section 4 allows, because two readers could otherwise see different values.
   *
   * @param documentName the name of the document, for the error message
   * @throws JoseException if the text is not one JSON object
   */
  static Map<String, Object> parseObject(byte[] json, String documentName) {
    try {
      Map<String, Object> object = MAPPER.readValue(json, OBJECT);
      if (object == null) {
        throw new JoseException("Invalid " + documentName + ": it is JSON null, not an object");
      }
      return object;
    } catch (JsonProcessingException e) {
      // The parser's own message can quote the input, which may be part of a token: leave it out.
      throw new JoseException("Invalid " + documentName + ": it is not a JSON object (error at "
          + location(e) + ")");
    } catch (IOException e) {
      throw new JoseException("Invalid " + documentName + ": it could not be read as JSON");
    }
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? "an unknown position"
        : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }

  static byte[] write(Map<String, ?> object) {
    try {
      return MAPPER.writeValueAsBytes(object);
    } catch (JsonProcessingException e) {
      throw new JoseException("Cannot write a JOSE object as JSON: " + e.getOriginalMessage(), e);
    }
  }
}
