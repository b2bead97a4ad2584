package dev.latchkey.azure.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;

/** Splits raw query strings into decoded parameters. */
final class QueryParameters {

  private QueryParameters() {}

  /**
   * Returns the parameters of a raw query in order, each as {@code {name, value}} with both decoded
   * and the name lower-cased; a parameter without {@code =} has the value {@code ""}. The list is
   * new and modifiable.
   */
  static List<String[]> decodeLowerCasedNames(String rawQuery) {
    List<String[]> parameters = new ArrayList<>(4);
    forEachDecoded(rawQuery, (name, value) -> parameters.add(new String[] {name, value}));
    return parameters;
  }

  /**
   * Passes each parameter of a raw query, in order, to {@code action} as it is decoded: the name
   * decoded and lower-cased, the value decoded, {@code ""} for a parameter without {@code =}.
   */
  static void forEachDecoded(String rawQuery, BiConsumer<String, String> action) {
    int start = 0;
    while (start <= rawQuery.length()) {
      int end = rawQuery.indexOf('&', start);
      if (end < 0) {
        end = rawQuery.length();
      }
      if (end > start) {
        decode(rawQuery, start, end, action);
      }
      start = end + 1;
    }
  }

  private static void decode(String rawQuery, int start, int end, BiConsumer<String, String> action) {
    int equals = rawQuery.indexOf('=', start);
    String name;
    String value;
    if (equals < 0 || equals > end) {
      name = rawQuery.substring(start, end);
      value = "";
    } else {
      name = rawQuery.substring(start, equals);
      value = rawQuery.substring(equals + 1, end);
    }
    String decodedName = PercentCoding.decodeQueryComponent(name).toLowerCase(Locale.ROOT);
    action.accept(decodedName, PercentCoding.decodeQueryComponent(value));
  }
}
