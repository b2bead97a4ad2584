package dev.latchkey.s3.internal.credentials;

import dev.latchkey.credentials.AwsCredentials;
import dev.latchkey.credentials.CredentialException;
import dev.latchkey.s3.credentials.StsException;
import dev.latchkey.signing.SignableRequest;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.UnaryOperator;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one AWS STS Query API action as a form POST and parses the credentials it returns.
 *
 * <p>Immutable and thread-safe. Redirects are not followed, so a request never reaches a host other
 * than the configured endpoint.
 */
public final class StsQueryClient {

  /** The STS API version every action is sent with. */
  public static final String API_VERSION = "2011-06-15";

  private static final Logger LOG = LoggerFactory.getLogger(StsQueryClient.class);
  private static final String FORM_TYPE = "application/x-www-form-urlencoded; charset=utf-8";

  private final OkHttpClient client;
  private final URI endpoint;

  public StsQueryClient(OkHttpClient client, URI endpoint) {
    this.client = client.newBuilder().followRedirects(false).followSslRedirects(false).build();
    this.endpoint = endpoint;
  }

  public URI endpoint() {
    return endpoint;
  }

  /**
   * Sends {@code action} with its parameters and returns the credentials in the response.
   *
   * @param signer adds the SigV4 signature, or returns the request unchanged for unsigned actions
   * @throws StsException if STS returns an error; retryable for throttling and 5xx
   * @throws CredentialException if the request fails (retryable) or the response cannot be parsed
   */
  public AwsCredentials call(String action, Map<String, String> parameters, UnaryOperator<SignableRequest> signer) {
    byte[] body = formBody(action, parameters).getBytes(StandardCharsets.UTF_8);
    SignableRequest signed = signer.apply(SignableRequest.builder("POST", endpoint)
        .addHeader("Content-Type", FORM_TYPE)
        .body(body)
        .build());

    Request.Builder request = new Request.Builder()
        .url(endpoint.toString())
        .post(RequestBody.create(body, MediaType.get(FORM_TYPE)));
    for (SignableRequest.Header header : signed.headers()) {
      if (!header.name().equalsIgnoreCase("Content-Type") && !header.name().equalsIgnoreCase("Host")) {
        request.addHeader(header.name(), header.value());
      }
    }
    return send(action, request.build());
  }

  private AwsCredentials send(String action, Request request) {
    String source = "AWS STS " + action + " at " + endpoint;
    try (Response response = client.newCall(request).execute()) {
      String body = ResponseBodies.readUtf8(response, source);
      if (!response.isSuccessful()) {
        StsException error = StsXml.parseError(body, response.code());
        LOG.warn("{} failed: HTTP {} {} (request id {})", source, response.code(), error.errorCode(),
            error.requestId().orElse("none"));
        throw error;
      }
      AwsCredentials credentials = StsXml.parseCredentials(body, source);
      LOG.debug("{} issued {} expiring at {}", source, credentials.accessKeyId(),
          credentials.expiresAt().orElse(null));
      return credentials;
    } catch (IOException e) {
      throw new CredentialException(source + " failed: " + e.getMessage(), e, true);
    }
  }

  private static String formBody(String action, Map<String, String> parameters) {
    StringJoiner form = new StringJoiner("&");
    form.add("Action=" + encode(action));
    form.add("Version=" + API_VERSION);
    parameters.forEach((name, value) -> form.add(encode(name) + "=" + encode(value)));
    return form.toString();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
