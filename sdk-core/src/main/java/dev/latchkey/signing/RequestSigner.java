package dev.latchkey.signing;

import dev.latchkey.credentials.Credential;
import java.time.Instant;

/**
 * Signs an HTTP request with a credential: SigV4, Shared Key, a SAS, a bearer token or an API key.
 *
 * <p>A signer is a pure function: the same request, credential and time give the same signed request,
 * and nothing is read from a clock or the environment. Options such as the region or the service are
 * fixed when the signer is built. Implementations are immutable and thread-safe.
 *
 * @param <C> the type of credential the signer uses
 */
@FunctionalInterface
public interface RequestSigner<C extends Credential> {

  /**
   * Returns {@code request} with the authorization added, as headers or query parameters.
   *
   * @param signingTime the time to sign with, normally the local time corrected by {@link ClockSkew}
   * @throws IllegalArgumentException if the request cannot be signed as it is (a header the scheme
   *     forbids, a body too large to hash in memory); the message names the problem
   */
  SignableRequest sign(SignableRequest request, C credential, Instant signingTime);
}
