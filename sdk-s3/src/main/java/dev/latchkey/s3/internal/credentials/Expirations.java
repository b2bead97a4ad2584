package dev.latchkey.s3.internal.credentials;

import dev.latchkey.credentials.CredentialException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Parses the {@code Expiration} member of AWS credential responses. */
public final class Expirations {

  private Expirations() {}

  /**
   * Parses an ISO-8601 date and time with {@code Z} or a numeric offset, such as {@code
   * 2026-01-01T10:00:00Z} or {@code 2026-01-01T12:00:00.5+02:00}.
   *
   * @param source the name of the response, for the error message
   * @throws CredentialException if the value is missing or not such a time; not retryable
   */
  public static Instant parse(String value, String source) {
    if (value == null || value.isBlank()) {
      throw new CredentialException(source + " has no Expiration: expected an ISO-8601 time", false);
    }
    try {
      return OffsetDateTime.parse(value.strip(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new CredentialException(
          source + " has an invalid Expiration '" + value
              + "': expected an ISO-8601 time with Z or an offset, such as 2026-01-01T10:00:00Z",
          e,
          false);
    }
  }
}
