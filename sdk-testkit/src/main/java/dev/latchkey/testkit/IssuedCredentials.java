package dev.latchkey.testkit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One set of temporary credentials that {@link TestSts} issued, with what it was issued for.
 *
 * <p>{@code toString()} shows the access key id, role, session and expiry, never the secret or the
 * session token.
 *
 * @param accessKeyId the access key id, starting with {@code ASIA}
 * @param secretAccessKey the secret access key
 * @param sessionToken the session token
 * @param issuedAt when it was issued, by the test STS's clock
 * @param expiresAt when it stops being accepted, by the same clock
 * @param action {@code AssumeRole} or {@code AssumeRoleWithWebIdentity}
 * @param roleArn the role assumed
 * @param roleSessionName the session name the client sent
 * @param subject the {@code sub} of the web identity token, or the access key id that signed an
 *     {@code AssumeRole} request
 * @param policy the session policy JSON the client sent, if any
 */
public record IssuedCredentials(
    String accessKeyId,
    String secretAccessKey,
    String sessionToken,
    Instant issuedAt,
    Instant expiresAt,
    String action,
    String roleArn,
    String roleSessionName,
    String subject,
    Optional<String> policy) {

  public IssuedCredentials {
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    Objects.requireNonNull(sessionToken, "sessionToken");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(policy, "policy");
  }

  /** Returns whether the credentials are expired at {@code now}: at or after {@link #expiresAt()}. */
  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }

  @Override
  public String toString() {
    return "IssuedCredentials[accessKeyId=" + accessKeyId + ", action=" + action + ", roleArn=" + roleArn
        + ", roleSessionName=" + roleSessionName + ", subject=" + subject + ", expiresAt=" + expiresAt
        + ", policy=" + (policy.isPresent() ? "present" : "absent") + "]";
  }
}
