package dev.latchkey.storage;

import java.time.Duration;

/**
 * One HTTP exchange a backend made with its storage service, reported to an {@link
 * ExchangeListener} for auditing and metrics. A call that a backend retries (after clock skew or an
 * expired credential) reports one exchange per attempt.
 *
 * @param method the HTTP method
 * @param url the request URL; the client redacts signatures and tokens in it before writing it anywhere
 * @param statusCode the HTTP status, or 0 when no response arrived
 * @param errorCode the service's error code (such as {@code NoSuchKey} or {@code AuthenticationFailed}),
 *     or {@code null}
 * @param requestId the service's request id ({@code x-amz-request-id}, {@code x-ms-request-id}), or
 *     {@code null}
 * @param credentialId the non-secret id of the credential that signed the request, or {@code null}
 * @param credentialProvider the name of the provider of that credential, or {@code null}
 * @param bytesSent body bytes sent
 * @param bytesReceived body bytes received, as far as known when the exchange is reported
 * @param duration time from sending the request to receiving the response headers or failing
 */
public record Exchange(
    String method,
    String url,
    int statusCode,
    String errorCode,
    String requestId,
    String credentialId,
    String credentialProvider,
    long bytesSent,
    long bytesReceived,
    Duration duration) {}
