package dev.latchkey.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * An OkHttp network interceptor that checks each request sent with a bearer JWT: it compares the
 * token's {@code exp} claim with the system clock when the request leaves, and counts the responses
 * that reject the request as unauthenticated or unauthorized (HTTP 401 and 403).
 *
 * <p>A network interceptor runs for every attempt, including the one more attempt that {@code
 * BlobBackend} sends after a rejected credential, so a rejection that a retry hides is still
 * counted. It keeps each distinct token, so a test can search its output for them.
 */
final class BearerExpiryRecorder implements Interceptor {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_REJECTIONS_KEPT = 20;

  private final LongAdder bearerRequests = new LongAdder();
  private final LongAdder expiredAtSend = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAccumulator minMarginMillis = new LongAccumulator(Math::min, Long.MAX_VALUE);
  private final Queue<String> rejections = new ConcurrentLinkedQueue<>();
  private final Set<String> tokens = ConcurrentHashMap.newKeySet();

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    String authorization = request.header("Authorization");
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return chain.proceed(request);
    }
    String token = authorization.substring("Bearer ".length());
    tokens.add(token);
    long expiresAtMillis = expiryMillis(token);
    long margin = expiresAtMillis - System.currentTimeMillis();
    bearerRequests.increment();
    minMarginMillis.accumulate(margin);
    if (margin <= 0) {
      expiredAtSend.increment();
    }

    Response response = chain.proceed(request);
    if (response.code() == 401 || response.code() == 403) {
      rejected.increment();
      if (rejections.size() < MAX_REJECTIONS_KEPT) {
        rejections.add(request.method() + " " + request.url().encodedPath() + " -> " + response.code() + " "
            + response.header("x-ms-error-code") + ", token margin at send " + margin + " ms");
      }
    }
    return response;
  }

  /** Returns the {@code exp} claim of a JWT in epoch milliseconds. */
  static long expiryMillis(String jwt) throws IOException {
    String[] parts = jwt.split("\\.");
    if (parts.length < 2) {
      throw new IOException("The bearer token is not a JWT: it has " + parts.length + " parts");
    }
    JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    if (!claims.path("exp").canConvertToLong()) {
      throw new IOException("The bearer token has no numeric exp claim");
    }
    return claims.path("exp").asLong() * 1000;
  }

  long bearerRequests() {
    return bearerRequests.sum();
  }

  /** Returns the number of requests sent at or after their token's {@code exp}. */
  long expiredAtSend() {
    return expiredAtSend.sum();
  }

  /** Returns the number of responses with HTTP 401 or 403. */
  long rejected() {
    return rejected.sum();
  }

  /** Returns the first rejections, at most 20, with the token's margin when each was sent. */
  List<String> rejections() {
    return List.copyOf(rejections);
  }

  /** Returns the smallest time left on a token when a request was sent, in milliseconds. */
  long minMarginMillis() {
    return minMarginMillis.get();
  }

  Set<String> tokens() {
    return Set.copyOf(tokens);
  }
}
