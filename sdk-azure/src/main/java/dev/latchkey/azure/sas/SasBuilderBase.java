package dev.latchkey.azure.sas;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * The setters every SAS builder shares: validity window, clock, protocol, IP range, service version
 * and encryption scope. Each returns the concrete builder, so calls chain with its own setters.
 *
 * @param <B> the concrete builder
 */
abstract class SasBuilderBase<B extends SasBuilderBase<B>> {

  final SasGrant.Builder grant = SasGrant.builder();

  SasBuilderBase() {}

  abstract B self();

  /** Sets the expiry ({@code se}) as an instant; exclusive with {@link #lifetime}. */
  public B expiresOn(Instant expiresOn) {
    grant.expiresOn(expiresOn);
    return self();
  }

  /** Sets the expiry as a time after signing, from 1 second to 7 days; exclusive with {@link #expiresOn}. */
  public B lifetime(Duration lifetime) {
    grant.lifetime(lifetime);
    return self();
  }

  /** Sets a fixed start ({@code st}) in place of the signing time moved back by the skew margin. */
  public B startsOn(Instant startsOn) {
    grant.startsOn(startsOn);
    return self();
  }

  /** Sets how far before the signing time the SAS starts, from 0 to 1 hour; 5 minutes by default. */
  public B skewMargin(Duration margin) {
    grant.skewMargin(margin);
    return self();
  }

  /** Sets the clock that gives the signing time; the system clock by default. */
  public B clock(InstantSource clock) {
    grant.clock(clock);
    return self();
  }

  /** Sets the protocols ({@code spr}); {@link SasProtocol#HTTPS_ONLY} by default. */
  public B protocol(SasProtocol protocol) {
    grant.protocol(protocol);
    return self();
  }

  /** Restricts the SAS to one IPv4 address or a range such as {@code 10.0.0.1-10.0.0.9} ({@code sip}). */
  public B ipRange(String ipRange) {
    grant.ipRange(ipRange);
    return self();
  }

  /**
   * Sets the service version ({@code sv}); the class documentation of the SAS lists the versions it
   * accepts, and {@code build()} rejects an older one.
   */
  public B version(String version) {
    grant.version(version);
    return self();
  }

  /** Sets the encryption scope ({@code ses}); needs version 2020-12-06 or later. */
  public B encryptionScope(String encryptionScope) {
    grant.encryptionScope(encryptionScope);
    return self();
  }
}
