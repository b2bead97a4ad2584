package dev.latchkey.policy;

import java.util.Objects;

/**
 * An AWS IAM session policy, compiled from an {@link AccessPolicy} for one identity, to pass as the
 * {@code Policy} parameter of STS {@code AssumeRole} or {@code AssumeRoleWithWebIdentity}. The
 * credentials STS returns then allow at most what both the role's policies and this document allow.
 *
 * @param json the policy document, compact JSON without insignificant whitespace, at most {@link
 *     #MAX_LENGTH} characters
 */
public record AwsSessionPolicy(String json) {

  /**
   * The maximum length of a session policy's plain text that STS accepts: 2,048 characters (AWS STS
   * API reference, {@code AssumeRole}, parameter {@code Policy}). STS also limits the packed binary
   * size, which it reports as {@code PackedPolicySize}; a document within 2,048 characters can still
   * exceed that limit when the role has long session tags.
   */
  public static final int MAX_LENGTH = 2048;

  public AwsSessionPolicy {
    Objects.requireNonNull(json, "json");
    if (json.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("Session policy of " + json.length()
          + " characters exceeds the STS limit of " + MAX_LENGTH);
    }
  }

  /** Returns the number of characters of the document, which STS limits to {@link #MAX_LENGTH}. */
  public int length() {
    return json.length();
  }

  @Override
  public String toString() {
    return json;
  }
}
