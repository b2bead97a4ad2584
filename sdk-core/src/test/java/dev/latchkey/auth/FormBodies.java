package dev.latchkey.auth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Decodes application/x-www-form-urlencoded request bodies in tests. */
final class FormBodies {

  private FormBodies() {}

  static Map<String, List<String>> decode(String body) {
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    if (body.isEmpty()) {
      return parameters;
    }
    for (String pair : body.split("&")) {
      int equals = pair.indexOf('=');
      String name = URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8);
      String value = URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      parameters.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
    }
    return parameters;
  }

  static String single(Map<String, List<String>> parameters, String name) {
    List<String> values = parameters.get(name);
    if (values == null || values.size() != 1) {
      throw new AssertionError("Expected one value of form parameter '" + name + "', got " + values);
    }
    return values.get(0);
  }
}
