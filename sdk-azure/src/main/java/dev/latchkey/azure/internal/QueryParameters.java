package dev.latchkey.azure.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
    int start = 0;
    while (start <= rawQuery.length()) {
      int end = rawQuery.indexOf('&', start);
      if (end < 0) {
        end = rawQuery.length();
      }
      if (end > start) {
        parameters.add(decode(rawQuery, start, end));
      }
      start = end + 1;
    }
    return parameters;
  }

  private static String[] decode(String rawQuery, int start, int end) {
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
    return new String[] {decodedName, PercentCoding.decodeQueryComponent(value)};
  }
}
