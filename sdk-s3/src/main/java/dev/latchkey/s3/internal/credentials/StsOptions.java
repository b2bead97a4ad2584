package dev.latchkey.s3.internal.credentials;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks the options that the STS actions share, with messages that name the option and value. */
public final class StsOptions {

  /** The global STS endpoint, which signs for {@code us-east-1}. */
  public static final URI GLOBAL_ENDPOINT = URI.create("https://sts.amazonaws.com");

  private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/.+");
  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
  private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private StsOptions() {}

  public static String roleArn(String roleArn) {
    Objects.requireNonNull(roleArn, "roleArn");
    if (!ROLE_ARN.matcher(roleArn).matches()) {
      throw new IllegalArgumentException("Invalid roleArn '" + roleArn
          + "': expected arn:aws:iam::ACCOUNT:role/NAME with a 12-digit account id");
    }
    return roleArn;
  }

  public static String sessionName(String sessionName) {
    Objects.requireNonNull(sessionName, "roleSessionName");
    if (!SESSION_NAME.matcher(sessionName).matches()) {
      throw new IllegalArgumentException("Invalid roleSessionName '" + sessionName
          + "': use 2 to 64 letters, digits or the characters +=,.@_-");
    }
    return sessionName;
  }

  public static String externalId(String externalId) {
    Objects.requireNonNull(externalId, "externalId");
    if (!EXTERNAL_ID.matcher(externalId).matches()) {
      throw new IllegalArgumentException(
          "Invalid externalId: use 2 to 1224 letters, digits or the characters +=,.@:/_-");
    }
    return externalId;
  }

  /** Accepts 15 minutes to 12 hours in whole seconds, the range STS allows for a role session. */
  public static Duration duration(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    long seconds = duration.getSeconds();
    if (duration.getNano() != 0 || seconds < 900 || seconds > 43_200) {
      throw new IllegalArgumentException("Invalid duration " + duration
          + ": STS accepts whole seconds from PT15M to PT12H, and the role's maximum may be lower");
    }
    return duration;
  }

  /** Accepts a JSON object, the form of an IAM session policy. */
  public static String policy(String policy) {
    Objects.requireNonNull(policy, "policy");
    try {
      JsonNode root = MAPPER.readTree(policy);
      if (root == null || !root.isObject() || !root.has("Statement")) {
        throw new IllegalArgumentException(
            "Invalid session policy: expected a JSON object with Version and Statement members");
      }
      return policy;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Invalid session policy: it is not valid JSON ("
          + e.getOriginalMessage() + ")", e);
    }
  }

  public static String region(String region) {
    Objects.requireNonNull(region, "region");
    if (!REGION.matcher(region).matches()) {
      throw new IllegalArgumentException("Invalid region '" + region + "': expected a name such as eu-west-1");
    }
    return region;
  }

  /** Returns {@code https://sts.REGION.amazonaws.com}, or the {@code .com.cn} form in China. */
  public static URI regionalEndpoint(String region) {
    String suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
    return URI.create("https://sts." + region + "." + suffix);
  }

  /** Accepts https, or http to a loopback address for tests. */
  public static URI endpoint(URI endpoint) {
    return Endpoints.requireSecure(Objects.requireNonNull(endpoint, "endpoint"), "STS endpoint", Set.of());
  }

  /** Returns a session name unique to the millisecond: {@code latchkey-} and the epoch milliseconds. */
  public static String defaultSessionName(InstantSource clock) {
    return "latchkey-" + clock.millis();
  }
}
