package dev.latchkey.auth.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.latchkey.auth.TokenEndpointException;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.SecretValue;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a successful token response (RFC 6749 section 5.1) into an {@link AccessToken}.
 *
 * <p>{@code expires_in} and {@code refresh_in} may be JSON numbers or strings of digits; {@code
 * expires_on} (epoch seconds, as Azure sends) is used when {@code expires_in} is missing. A response
 * without any expiry gets the default lifetime and a warning. Lifetimes of zero, below zero or over
 * one year are errors, because a parser that accepted them would hand out a token that is already
 * expired or one that is treated as valid for ever. Unknown members are ignored.
 */
public final class TokenResponseParser {

  /** The maximum lifetime accepted; a longer one is taken as a broken response. */
  public static final Duration MAX_LIFETIME = Duration.ofDays(365);

  private static final Logger log = LoggerFactory.getLogger(TokenResponseParser.class);
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private final Duration defaultLifetime;

  public TokenResponseParser(Duration defaultLifetime) {
    this.defaultLifetime = defaultLifetime;
  }

  /**
   * Parses a response body.
   *
   * @param issuedAt the time the request was sent; expiries count from it, so they err early
   * @param requestedScopes the scopes requested, used when the response has no {@code scope}
   * @param audience the audience requested, or {@code null}
   * @param endpoint the endpoint URL for error messages
   * @throws TokenEndpointException if the body is not a valid token response; retryable only if
   *     it was cut off
   */
  public AccessToken parse(byte[] body, Instant issuedAt, Set<String> requestedScopes, String audience,
      String endpoint) {
    JsonNode root = readObject(body, endpoint);
    String token = requiredText(root, "access_token", endpoint);
    Duration lifetime = lifetime(root, issuedAt, endpoint);
    Instant expiresAt = issuedAt.plus(lifetime);
    return AccessToken.builder()
        .token(SecretValue.of(token))
        .tokenType(tokenType(root, endpoint))
        .scopes(scopes(root, requestedScopes))
        .audience(audience)
        .expiresAt(expiresAt)
        .refreshAt(refreshAt(root, issuedAt, lifetime, endpoint))
        .build();
  }

  private static JsonNode readObject(byte[] body, String endpoint) {
    try {
      JsonNode root = MAPPER.readTree(body);
      if (root == null || !root.isObject()) {
        throw invalid(endpoint, "the body is not a JSON object (" + body.length + " bytes)");
      }
      return root;
    } catch (JsonEOFException e) {
      throw new TokenEndpointException("Invalid token response from " + endpoint + ": the JSON body ends early, after "
          + body.length + " bytes; the response was cut off", null, true, 200, null);
    } catch (JsonProcessingException e) {
      // The parser's own message may quote the body, which may contain a token: only the position is kept.
      throw invalid(endpoint, "the body is not JSON (" + body.length + " bytes, error at line "
          + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
    } catch (IOException e) {
      throw invalid(endpoint, "the body could not be read as JSON");
    }
  }

  private static String requiredText(JsonNode root, String name, String endpoint) {
    JsonNode value = root.get(name);
    if (value == null || value.isNull()) {
      throw invalid(endpoint, "the member '" + name + "' is missing");
    }
    if (!value.isTextual() || value.asText().isEmpty()) {
      throw invalid(endpoint, "the member '" + name + "' must be a non-empty string");
    }
    return value.asText();
  }

  private static String tokenType(JsonNode root, String endpoint) {
    JsonNode value = root.get("token_type");
    if (value == null || value.isNull()) {
      log.warn("Token response from {} has no token_type; assuming Bearer", endpoint);
      return "Bearer";
    }
    return requiredText(root, "token_type", endpoint);
  }

  private Duration lifetime(JsonNode root, Instant issuedAt, String endpoint) {
    Optional<Long> expiresIn = seconds(root, "expires_in", endpoint);
    Optional<Long> expiresOn = seconds(root, "expires_on", endpoint);
    Duration lifetime;
    if (expiresIn.isPresent()) {
      lifetime = Duration.ofSeconds(expiresIn.get());
    } else if (expiresOn.isPresent()) {
      lifetime = Duration.between(issuedAt, Instant.ofEpochSecond(expiresOn.get()));
    } else {
      log.warn("Token response from {} has no expires_in; using the default lifetime of {}", endpoint, defaultLifetime);
      return defaultLifetime;
    }
    return checkLifetime(lifetime, expiresIn.isPresent() ? "expires_in" : "expires_on", endpoint);
  }

  private static Duration checkLifetime(Duration lifetime, String member, String endpoint) {
    if (lifetime.isZero() || lifetime.isNegative()) {
      throw invalid(endpoint, "'" + member + "' gives a lifetime of " + lifetime.getSeconds()
          + " seconds, so the token is already expired");
    }
    if (lifetime.compareTo(MAX_LIFETIME) > 0) {
      throw invalid(endpoint, "'" + member + "' gives a lifetime of " + lifetime.getSeconds()
          + " seconds, more than one year; the response is taken as broken");
    }
    return lifetime;
  }

  private static Instant refreshAt(JsonNode root, Instant issuedAt, Duration lifetime, String endpoint) {
    Optional<Long> refreshIn = seconds(root, "refresh_in", endpoint);
    if (refreshIn.isEmpty()) {
      return null;
    }
    if (refreshIn.get() <= 0 || refreshIn.get() >= lifetime.getSeconds()) {
      log.warn("Token response from {} has refresh_in {} outside the lifetime of {} seconds; ignoring it",
          endpoint, refreshIn.get(), lifetime.getSeconds());
      return null;
    }
    return issuedAt.plusSeconds(refreshIn.get());
  }

  /** Reads a member of seconds written as a JSON integer or a string of decimal digits. */
  private static Optional<Long> seconds(JsonNode root, String name, String endpoint) {
    JsonNode value = root.get(name);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      return Optional.of(value.asLong());
    }
    if (value.isTextual() && value.asText().matches("-?[0-9]{1,18}")) {
      return Optional.of(Long.parseLong(value.asText()));
    }
    throw invalid(endpoint, "the member '" + name + "' must be a whole number of seconds, not " + value);
  }

  private static Set<String> scopes(JsonNode root, Set<String> requestedScopes) {
    JsonNode scope = root.get("scope");
    if (scope == null || !scope.isTextual() || scope.asText().isBlank()) {
      return requestedScopes;
    }
    return new LinkedHashSet<>(Arrays.asList(scope.asText().trim().split(" +")));
  }

  private static TokenEndpointException invalid(String endpoint, String reason) {
    return new TokenEndpointException("Invalid token response from " + endpoint + ": " + reason, null, false, 200, null);
  }
}
