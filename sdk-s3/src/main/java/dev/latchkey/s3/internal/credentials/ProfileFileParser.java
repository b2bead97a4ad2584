package dev.latchkey.s3.internal.credentials;

import dev.latchkey.credentials.CredentialException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Parses the AWS shared credentials file and config file into profiles.
 *
 * <p>Both files are INI files. In the credentials file a section {@code [name]} is the profile
 * {@code name}; in the config file it is {@code [profile name]}, except {@code [default]}, and other
 * sections (such as {@code [sso-session x]}) are skipped. Property names are compared without case.
 * Lines starting with {@code #} or {@code ;} are comments, as is the rest of a value after white
 * space and {@code #} or {@code ;}. Indented lines under a property with an empty value are nested
 * settings (such as the {@code s3} block of the config file) and are skipped.
 */
public final class ProfileFileParser {

  private ProfileFileParser() {}

  /**
   * Returns the profiles of one file, by name, each a map of lower-case property names to values.
   *
   * @param fileName the file's path, for error messages
   * @param configFile whether the file uses the config file's {@code [profile name]} sections
   * @throws CredentialException if a line is neither a section, a property, a comment nor a nested
   *     setting. The message gives the line number but not the line, because it may contain a secret.
   */
  public static Map<String, Map<String, String>> parse(String content, String fileName, boolean configFile) {
    Map<String, Map<String, String>> profiles = new LinkedHashMap<>();
    Map<String, String> current = null;
    boolean inNestedBlock = false;
    String[] lines = content.split("\\R", -1);
    for (int i = 0; i < lines.length; i++) {
      String raw = lines[i];
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[")) {
        current = section(line, fileName, i + 1, configFile, profiles);
        inNestedBlock = false;
        continue;
      }
      if (Character.isWhitespace(raw.charAt(0)) && inNestedBlock) {
        continue;
      }
      int equals = line.indexOf('=');
      if (equals <= 0) {
        throw new CredentialException("Invalid line " + (i + 1) + " of AWS profile file " + fileName
            + ": expected [section], name = value, or a comment", false);
      }
      String name = line.substring(0, equals).strip().toLowerCase(Locale.ROOT);
      String value = stripComment(line.substring(equals + 1)).strip();
      inNestedBlock = value.isEmpty();
      if (current != null) {
        current.put(name, value);
      }
    }
    return profiles;
  }

  private static Map<String, String> section(
      String line, String fileName, int lineNumber, boolean configFile, Map<String, Map<String, String>> profiles) {
    int close = line.indexOf(']');
    if (close < 0) {
      throw new CredentialException("Invalid line " + lineNumber + " of AWS profile file " + fileName
          + ": a section header needs a closing ]", false);
    }
    String name = line.substring(1, close).strip();
    if (configFile) {
      if (name.startsWith("profile ") || name.startsWith("profile\t")) {
        name = name.substring("profile".length()).strip();
      } else if (!name.equals("default")) {
        return null;
      }
    }
    return profiles.computeIfAbsent(name, key -> new LinkedHashMap<>());
  }

  private static String stripComment(String value) {
    for (int i = 1; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c == '#' || c == ';') && Character.isWhitespace(value.charAt(i - 1))) {
        return value.substring(0, i);
      }
    }
    return value;
  }
}
