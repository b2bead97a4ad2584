package dev.latchkey.policy.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.latchkey.policy.AccessPolicy;
import dev.latchkey.policy.PolicyDocumentException;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a policy document: binds the JSON strictly (unknown fields, duplicate fields, trailing
 * content and type coercions are errors), then builds the model with {@link PolicyDocumentBinder},
 * turning every error into a {@link PolicyDocumentException} with a JSON pointer and a line and
 * column.
 */
public final class PolicyDocumentReader {

  private static final ObjectMapper MAPPER = strictMapper();

  private PolicyDocumentReader() {}

  /**
   * Parses and checks a policy document.
   *
   * @throws PolicyDocumentException if the text is not JSON or does not follow the format
   */
  public static AccessPolicy read(String json) {
    PolicyDocumentModel.PolicyDoc document;
    try {
      document = MAPPER.readValue(json, PolicyDocumentModel.PolicyDoc.class);
    } catch (JsonMappingException e) {
      throw mappingError(e);
    } catch (JsonProcessingException e) {
      throw syntaxError(e);
    }
    if (document == null) {
      throw new PolicyDocumentException("the document is empty or null; write a JSON object", "", 1, 1, null);
    }
    return new PolicyDocumentBinder(json).bind(document);
  }

  private static PolicyDocumentException mappingError(JsonMappingException e) {
    String pointer = pointerOf(e.getPath());
    String problem;
    if (e.getOriginalMessage().startsWith("Trailing token")) {
      problem = "content after the end of the document; write exactly one JSON object";
    } else if (e instanceof UnrecognizedPropertyException unknown) {
      problem = "unknown field '" + unknown.getPropertyName() + "'; the known fields are "
          + knownFields(unknown.getKnownPropertyIds());
    } else if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      problem = "wrong type: expected " + describe(mismatch.getTargetType());
    } else {
      problem = e.getOriginalMessage();
    }
    return located(problem, pointer, e.getLocation(), e);
  }

  private static PolicyDocumentException syntaxError(JsonProcessingException e) {
    return located("not valid JSON: " + e.getOriginalMessage(), "", e.getLocation(), e);
  }

  private static PolicyDocumentException located(
      String problem, String pointer, JsonLocation location, Exception cause) {
    int line = location == null ? -1 : location.getLineNr();
    int column = location == null ? -1 : location.getColumnNr();
    return new PolicyDocumentException(problem, pointer, line, column, cause);
  }

  private static String pointerOf(java.util.List<JsonMappingException.Reference> path) {
    StringBuilder pointer = new StringBuilder();
    for (JsonMappingException.Reference reference : path) {
      pointer.append('/');
      if (reference.getFieldName() != null) {
        pointer.append(PolicyDocumentBinder.escapePointer(reference.getFieldName()));
      } else {
        pointer.append(reference.getIndex());
      }
    }
    return pointer.toString();
  }

  private static String knownFields(Collection<Object> ids) {
    return ids.stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
  }

  private static String describe(Class<?> type) {
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Long.class || type == Integer.class || type == long.class || type == int.class) {
      return "an integer";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "an object";
    }
    return type.getSimpleName();
  }

  private static ObjectMapper strictMapper() {
    JsonMapper mapper = JsonMapper.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .build();
    for (CoercionInputShape shape : new CoercionInputShape[] {
        CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean}) {
      mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
    }
    mapper.coercionConfigFor(LogicalType.Collection)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    return mapper;
  }

  /** Returns the line and column of a pointer in the text, for errors found after binding. */
  static JsonLocation locate(String json, String pointer) {
    return JsonLocator.locate(json, pointer);
  }
}
