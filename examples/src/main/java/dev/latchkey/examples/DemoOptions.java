package dev.latchkey.examples;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * Options of the {@link Demo}, from command-line arguments such as {@code --duration 60s}.
 *
 * @param duration how long the workload runs against each backend; 60 seconds by default
 * @param credentialLifetime how long the narrowed storage credentials live; 20 seconds by default
 * @param tokenLifetime how long the workload's access tokens live; 30 seconds by default
 * @param outputDirectory where the audit logs are written; {@code target/demo} by default
 */
record DemoOptions(Duration duration, Duration credentialLifetime, Duration tokenLifetime, Path outputDirectory) {

  static final DemoOptions DEFAULTS =
      new DemoOptions(Duration.ofSeconds(60), Duration.ofSeconds(20), Duration.ofSeconds(30), Path.of("target", "demo"));

  DemoOptions {
    Objects.requireNonNull(outputDirectory, "outputDirectory");
    checkPositive("--duration", duration);
    checkPositive("--credential-lifetime", credentialLifetime);
    checkPositive("--token-lifetime", tokenLifetime);
    if (credentialLifetime.toSeconds() < 4) {
      throw new IllegalArgumentException("Invalid --credential-lifetime " + credentialLifetime.toSeconds()
          + "s: use 4 seconds or more, so a refresh fits before expiry");
    }
  }

  /**
   * Parses {@code --duration 60s}, {@code --credential-lifetime 20s}, {@code --token-lifetime 30s}
   * and {@code --output DIR}; durations take {@code s} or {@code m} or an ISO-8601 form such as
   * {@code PT1M}.
   *
   * @throws IllegalArgumentException on an unknown option or a bad value, naming it
   */
  static DemoOptions parse(String... args) {
    DemoOptions options = DEFAULTS;
    for (int i = 0; i < args.length; i += 2) {
      String name = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("Option " + name + " needs a value, such as " + name + " 20s");
      }
      String value = args[i + 1];
      options = switch (name) {
        case "--duration" -> new DemoOptions(parseDuration(name, value), options.credentialLifetime, options.tokenLifetime, options.outputDirectory);
        case "--credential-lifetime" -> new DemoOptions(options.duration, parseDuration(name, value), options.tokenLifetime, options.outputDirectory);
        case "--token-lifetime" -> new DemoOptions(options.duration, options.credentialLifetime, parseDuration(name, value), options.outputDirectory);
        case "--output" -> new DemoOptions(options.duration, options.credentialLifetime, options.tokenLifetime, Path.of(value));
        default -> throw new IllegalArgumentException("Unknown option '" + name
            + "': use --duration, --credential-lifetime, --token-lifetime or --output");
      };
    }
    return options;
  }

  private static Duration parseDuration(String option, String value) {
    try {
      if (value.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
      }
      if (value.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
      }
      return Duration.parse(value);
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException("Invalid " + option + " '" + value + "': use seconds such as 20s, minutes such as 2m, or PT20S");
    }
  }

  private static void checkPositive(String option, Duration value) {
    Objects.requireNonNull(value, option);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("Invalid " + option + " " + value + ": use a positive duration");
    }
  }
}
