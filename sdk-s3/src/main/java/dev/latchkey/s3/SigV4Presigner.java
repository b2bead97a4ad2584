package dev.latchkey.s3;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.signing.ClockSkew;
import dev.latchkey.signing.SignableRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presigns URLs at the estimated server time, and never beyond the expiry of the credential that
 * signs them.
 *
 * <p>The signing time is the local clock corrected by the shared {@link ClockSkew}, so a URL made on
 * a host whose clock is behind is not rejected as not yet valid. A URL signed with temporary
 * credentials stops working when they expire, whatever {@code X-Amz-Expires} is, so a longer expiry is
 * capped at the credential's remaining lifetime, and an INFO log line reports the cap.
 *
 * <p>Immutable and thread-safe.
 */
public final class SigV4Presigner {

  private static final Logger log = LoggerFactory.getLogger(SigV4Presigner.class);

  private final SigV4Signer signer;
  private final InstantSource clock;
  private final ClockSkew clockSkew;

  private SigV4Presigner(Builder builder) {
    this.signer = builder.signer;
    this.clock = builder.clock;
    this.clockSkew = builder.clockSkew;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Presigns {@code request} for {@code expiry}, or until the credential expires if that comes
   * first; see {@link SigV4Signer#presign}.
   *
   * @param expiry 1 second to 7 days
   * @throws IllegalArgumentException if the expiry is out of range
   * @throws CredentialException if the credential expires in less than one second
   */
  public PresignedUrl presign(SignableRequest request, AwsCredentials credentials, Duration expiry) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(credentials, "credentials");
    SigV4Signer.requireExpiry(expiry);
    Instant signingTime = clockSkew.serverTime(clock);
    Duration effective = capToCredential(expiry, credentials, signingTime);
    return signer.presign(request, credentials, signingTime, effective);
  }

  private static Duration capToCredential(Duration expiry, AwsCredentials credentials, Instant signingTime) {
    if (credentials.expiresAt().isEmpty()) {
      return expiry;
    }
    Duration remaining = Duration.between(signingTime, credentials.expiresAt().get());
    if (remaining.compareTo(SigV4Signer.MIN_PRESIGN_EXPIRY) < 0) {
      throw new CredentialException("Cannot presign with credential " + credentials.id() + ": it expires at "
          + credentials.expiresAt().get() + ", less than 1 second after the signing time " + signingTime
          + "; refresh the credential first", true);
    }
    if (remaining.compareTo(expiry) >= 0) {
      return expiry;
    }
    Duration capped = Duration.ofSeconds(remaining.getSeconds());
    log.info("Presigned URL expiry {} capped to {}: credential {} expires at {}",
        expiry, capped, credentials.id(), credentials.expiresAt().get());
    return capped;
  }

  @Override
  public String toString() {
    return "SigV4Presigner[" + signer + ", " + clockSkew + "]";
  }

  /** Builder for {@link SigV4Presigner}; not thread-safe. */
  public static final class Builder {
    private SigV4Signer signer;
    private InstantSource clock = InstantSource.system();
    private ClockSkew clockSkew = ClockSkew.create();

    private Builder() {}

    /** Sets the signer; required. */
    public Builder signer(SigV4Signer signer) {
      this.signer = Objects.requireNonNull(signer, "signer");
      return this;
    }

    /** Sets the local clock; default {@link InstantSource#system()}. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Sets the clock-skew estimate shared with the client's other signers; default a new zero estimate. */
    public Builder clockSkew(ClockSkew clockSkew) {
      this.clockSkew = Objects.requireNonNull(clockSkew, "clockSkew");
      return this;
    }

    /**
     * Builds the presigner.
     *
     * @throws IllegalStateException if the signer is missing
     */
    public SigV4Presigner build() {
      if (signer == null) {
        throw new IllegalStateException("SigV4Presigner needs a signer: call signer(SigV4Signer.forS3(region))");
      }
      return new SigV4Presigner(this);
    }
  }
}
