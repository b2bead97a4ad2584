package dev.latchkey.credentials.providers.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.providers.FileCredentialProvider.Format;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The fields of one credential file, parsed from JSON or properties.
 *
 * <p>No error message or cause quotes file content: parser messages can contain the text around the
 * error, which may be a secret, so errors carry only the file, the field name and the position.
 */
public final class CredentialFields {

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private final Map<String, String> fields;
  private final Path file;

  private CredentialFields(Map<String, String> fields, Path file) {
    this.fields = fields;
    this.file = file;
  }

  /**
   * Parses the content of {@code file}.
   *
   * @throws CredentialException if it is not valid UTF-8, not valid JSON or properties, or a JSON
   *     field is neither a string nor an array of strings. The exception is retryable, because a
   *     file in the middle of a rotation may be complete a moment later.
   */
  public static CredentialFields parse(byte[] content, Format format, Path file) {
    String text = decodeUtf8(content, file);
    if (text.isBlank()) {
      throw new CredentialException("Credential file " + file + " is empty", true);
    }
    Map<String, String> fields = format == Format.JSON ? parseJson(text, file) : parseProperties(text, file);
    return new CredentialFields(fields, file);
  }

  /** Returns a field's value, or {@code null} if it is missing or empty. */
  public String optional(String name) {
    String value = fields.get(name);
    return value == null || value.isEmpty() ? null : value;
  }

  /**
   * Returns a field's value.
   *
   * @throws CredentialException if it is missing or empty
   */
  public String required(String name) {
    String value = optional(name);
    if (value == null) {
      throw new CredentialException(
          "Missing field '" + name + "' in credential file " + file + ": add it, or check the file's format", true);
    }
    return value;
  }

  /**
   * Returns a field as an instant, or {@code null} if it is missing.
   *
   * @throws CredentialException if it is not an ISO-8601 instant
   */
  public Instant instant(String name) {
    String value = optional(name);
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new CredentialException("Invalid field '" + name + "' in credential file " + file
          + ": it is not an ISO-8601 instant such as 2026-01-01T00:00:00Z", true);
    }
  }

  /** Returns a field as scopes separated by spaces; empty if it is missing. */
  public Set<String> scopes(String name) {
    String value = optional(name);
    if (value == null) {
      return Set.of();
    }
    return Arrays.stream(value.trim().split("\\s+")).collect(Collectors.toUnmodifiableSet());
  }

  private static String decodeUtf8(byte[] content, Path file) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(content))
          .toString();
    } catch (CharacterCodingException e) {
      throw new CredentialException(
          "Credential file " + file + " is not valid UTF-8; it may be half-written", true);
    }
  }

  private static Map<String, String> parseJson(String text, Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new CredentialException("Invalid JSON in credential file " + file + " at "
          + positionOf(e.getLocation()) + "; it may be half-written", true);
    }
    if (root == null || !root.isObject()) {
      throw new CredentialException(
          "Invalid JSON in credential file " + file + ": the top level must be an object", true);
    }

    Map<String, String> fields = new HashMap<>();
    for (Map.Entry<String, JsonNode> entry : root.properties()) {
      fields.put(entry.getKey(), jsonText(entry.getKey(), entry.getValue(), file));
    }
    return fields;
  }

  private static String jsonText(String name, JsonNode value, Path file) {
    if (value.isNull()) {
      return null;
    }
    if (value.isTextual()) {
      return value.textValue();
    }
    if (!value.isArray()) {
      throw invalidJsonField(name, file);
    }
    List<String> elements = new ArrayList<>();
    for (JsonNode element : value) {
      if (!element.isTextual()) {
        throw invalidJsonField(name, file);
      }
      elements.add(element.textValue());
    }
    return String.join(" ", elements);
  }

  private static CredentialException invalidJsonField(String name, Path file) {
    return new CredentialException("Invalid field '" + name + "' in credential file " + file
        + ": it must be a string or an array of strings", true);
  }

  private static String positionOf(JsonLocation location) {
    if (location == null) {
      return "an unknown position";
    }
    return "line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  private static Map<String, String> parseProperties(String text, Path file) {
    Properties properties = new Properties();
    try {
      properties.load(new StringReader(text));
    } catch (IOException | IllegalArgumentException e) {
      throw new CredentialException("Invalid properties in credential file " + file
          + ": a \\u escape is malformed; it may be half-written", true);
    }
    Map<String, String> fields = new HashMap<>();
    properties.stringPropertyNames().forEach(name -> fields.put(name, properties.getProperty(name)));
    return fields;
  }
}
