package dev.latchkey.azure.internal.identity;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.credentials.SecretValue;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses the token responses of the Azure managed identity endpoints (IMDS, App Service and
 * Functions) into {@link AccessToken}s.
 *
 * <p>These endpoints write numbers in several ways. {@code expires_on} is epoch seconds as a JSON
 * number or a string, or, from older App Service versions, a date string such as {@code 06/20/2019
 * 02:57:58 +00:00}. {@code expires_in} and {@code refresh_in} are seconds as a number or a string.
 * The expiry comes from {@code expires_on} when present, otherwise from {@code expires_in}; a
 * response with neither is rejected, never read as "no expiry". Thread-safe.
 */
public final class ManagedIdentityTokenParser {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern DIGITS = Pattern.compile("\\d{1,19}");

  /** Older App Service date formats: 24-hour, and 12-hour with AM or PM as .NET writes it. */
  private static final List<DateTimeFormatter> DATE_FORMATS = List.of(
      DateTimeFormatter.ofPattern("M/d/yyyy H:mm:ss XXX", Locale.ROOT),
      DateTimeFormatter.ofPattern("M/d/yyyy h:mm:ss a XXX", Locale.US));

  /** Managed identity tokens live for hours; an expiry further away is a misread value. */
  private static final Duration MAX_LIFETIME = Duration.ofDays(366);

  private final String source;

  /** @param source the endpoint's name for messages, such as {@code IMDS} */
  public ManagedIdentityTokenParser(String source) {
    this.source = source;
  }

  /**
   * Parses a response body.
   *
   * @param body the JSON body of a 200 response
   * @param scope the scope that was requested, recorded on the token
   * @param resource the resource that was requested, the audience when the response names none
   * @param now the current time, for relative lifetimes and sanity checks
   * @throws CredentialException (not retryable) if the body is not a token response this class
   *     can read, or the token is already expired
   */
  public AccessToken parse(String body, String scope, String resource, Instant now) {
    JsonNode root = readObject(body);
    String token = requireText(root, "access_token");
    Instant expiresAt = expiry(root, now);
    if (!expiresAt.isAfter(now)) {
      throw invalid("the token expired at " + expiresAt + ", before the current time " + now
          + " on this host; check the host clock");
    }

    return AccessToken.builder()
        .token(SecretValue.of(token))
        .tokenType(optionalText(root, "token_type").orElse("Bearer"))
        .scopes(Set.of(scope))
        .audience(optionalText(root, "resource").orElse(resource))
        .expiresAt(expiresAt)
        .refreshAt(refreshAt(root, now, expiresAt))
        .build();
  }

  private JsonNode readObject(String body) {
    try {
      JsonNode root = JSON.readTree(body);
      if (root == null || !root.isObject()) {
        throw invalid("the body is not a JSON object");
      }
      return root;
    } catch (JsonProcessingException e) {
      // Jackson's message quotes the offending text, which may be part of a token: give the place only.
      JsonLocation where = e.getLocation();
      throw invalid(where == null ? "the body is not valid JSON"
          : "the body is not valid JSON (error at line " + where.getLineNr()
              + ", column " + where.getColumnNr() + ")");
    }
  }

  private Instant expiry(JsonNode root, Instant now) {
    JsonNode expiresOn = root.get("expires_on");
    if (isPresent(expiresOn)) {
      return checkPlausible("expires_on", parseExpiresOn(expiresOn), now);
    }
    JsonNode expiresIn = root.get("expires_in");
    if (isPresent(expiresIn)) {
      return checkPlausible("expires_in", now.plusSeconds(parseSeconds("expires_in", expiresIn)), now);
    }
    throw invalid("it has neither expires_on nor expires_in, so the token's lifetime is unknown");
  }

  private Instant refreshAt(JsonNode root, Instant now, Instant expiresAt) {
    JsonNode refreshIn = root.get("refresh_in");
    if (!isPresent(refreshIn)) {
      return null;
    }
    Instant refreshAt = now.plusSeconds(parseSeconds("refresh_in", refreshIn));
    return refreshAt.isBefore(expiresAt) ? refreshAt : null;
  }

  private Instant parseExpiresOn(JsonNode node) {
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return Instant.ofEpochSecond(node.longValue());
    }
    String text = node.isTextual() ? node.textValue().trim() : node.toString();
    if (DIGITS.matcher(text).matches()) {
      return Instant.ofEpochSecond(Long.parseLong(text));
    }
    for (DateTimeFormatter format : DATE_FORMATS) {
      try {
        return OffsetDateTime.parse(text, format).toInstant();
      } catch (DateTimeParseException e) {
        // Try the next format; the error below names the value.
      }
    }
    throw invalid("expires_on '" + text + "' is neither epoch seconds nor a date such as"
        + " '06/20/2019 02:57:58 +00:00'");
  }

  private long parseSeconds(String member, JsonNode node) {
    if (node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0) {
      return node.longValue();
    }
    String text = node.isTextual() ? node.textValue().trim() : node.toString();
    if (DIGITS.matcher(text).matches()) {
      return Long.parseLong(text);
    }
    throw invalid(member + " '" + text + "' is not a whole number of seconds");
  }

  private Instant checkPlausible(String member, Instant expiresAt, Instant now) {
    if (expiresAt.isAfter(now.plus(MAX_LIFETIME))) {
      throw invalid(member + " gives the expiry " + expiresAt + ", more than " + MAX_LIFETIME.toDays()
          + " days ahead; the value may be in milliseconds instead of seconds");
    }
    return expiresAt;
  }

  private String requireText(JsonNode root, String member) {
    return optionalText(root, member)
        .orElseThrow(() -> invalid("the member " + member + " is missing or empty"));
  }

  private static Optional<String> optionalText(JsonNode root, String member) {
    JsonNode node = root.get(member);
    if (node == null || !node.isTextual() || node.textValue().isBlank()) {
      return Optional.empty();
    }
    return Optional.of(node.textValue());
  }

  private static boolean isPresent(JsonNode node) {
    return node != null && !node.isNull() && !(node.isTextual() && node.textValue().isBlank());
  }

  private CredentialException invalid(String reason) {
    return new CredentialException(
        "Invalid token response from the managed identity endpoint (" + source + "): " + reason, false);
  }
}
