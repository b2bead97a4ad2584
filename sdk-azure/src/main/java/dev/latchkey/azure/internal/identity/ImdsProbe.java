package dev.latchkey.azure.internal.identity;

import dev.latchkey.credentials.CredentialNotConfiguredException;
import java.io.IOException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks once that the IMDS address is served by the Azure Instance Metadata Service before tokens
 * are requested from it.
 *
 * <p>The probe is the token request without the {@code Metadata: true} header. Azure IMDS rejects such
 * a request with 400, and a 410, 429 or 5xx means that IMDS is there but busy. No connection, or any
 * other status, means that this host is not an Azure VM. Other clouds serve their own metadata
 * service at the same link-local address (Amazon EC2 responds with 404, for example), and retrying
 * those responses for the 70 seconds that IMDS updates may take would stall every credential chain.
 */
final class ImdsProbe {

  private static final Logger LOG = LoggerFactory.getLogger(ImdsProbe.class);

  private ImdsProbe() {}

  /**
   * Sends the probe for {@code tokenRequest}.
   *
   * @throws CredentialNotConfiguredException if the response shows that IMDS is not there
   */
  static void requireImds(OkHttpClient httpClient, Request tokenRequest, ManagedIdentityEndpoint endpoint) {
    Request probe = tokenRequest.newBuilder().removeHeader("Metadata").build();
    try (Response response = httpClient.newCall(probe).execute()) {
      int status = response.code();
      if (!isImdsAnswer(status)) {
        throw notImds(endpoint, "it responded with HTTP " + status + ", but Azure IMDS responds with 400");
      }
      LOG.debug("{} responded to the probe with HTTP {}", endpoint, status);
    } catch (IOException e) {
      throw notImds(endpoint, "no response (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static boolean isImdsAnswer(int status) {
    return status == 400 || status == 410 || status == 429 || (status >= 500 && status <= 599);
  }

  private static CredentialNotConfiguredException notImds(ManagedIdentityEndpoint endpoint, String reason) {
    LOG.debug("Managed identity is not available from {}: {}", endpoint, reason);
    return new CredentialNotConfiguredException("Managed identity is not available: " + endpoint + ": "
        + reason + ", so this host is not an Azure VM with IMDS");
  }
}
