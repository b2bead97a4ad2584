package dev.latchkey.okhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.audit.EventType;
import dev.latchkey.audit.InMemoryAuditSink;
import dev.latchkey.audit.StorageRequestEvent;
import dev.latchkey.credentials.AccessToken;
import dev.latchkey.credentials.CredentialCache;
import dev.latchkey.credentials.SecretValue;
import dev.latchkey.credentials.WorkloadIdentity;
import dev.latchkey.policy.AccessDeniedException;
import dev.latchkey.policy.AccessPolicy;
import dev.latchkey.policy.Action;
import dev.latchkey.policy.Binding;
import dev.latchkey.policy.Role;
import dev.latchkey.policy.Rule;
import dev.latchkey.signing.RequestSigner;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LatchkeyInterceptorTest {

  private static final AccessPolicy POLICY = AccessPolicy.builder()
      .role(Role.builder().name("gateway-writer")
          .rule(Rule.allow("exports").actions(Action.READ, Action.WRITE).resources("gateway://reports/exports/**"))
          .build())
      .binding(Binding.builder().id("b").identities("report-exporter").roles("gateway-writer").build())
      .build();

  /** Signs with {@code Authorization: Bearer}, as a gateway that takes OAuth tokens expects. */
  private static final RequestSigner<AccessToken> BEARER = (request, token, time) ->
      request.toBuilder().setHeader("Authorization", "Bearer " + token.token().reveal()).build();

  private final MockWebServer gateway = new MockWebServer();
  private final InMemoryAuditSink audit = new InMemoryAuditSink();
  private final AtomicInteger fetches = new AtomicInteger();
  private CredentialCache<AccessToken> tokens;
  private OkHttpClient http;

  @BeforeEach
  void start() throws IOException {
    gateway.start(InetAddress.getByName("127.0.0.1"), 0);
    tokens = CredentialCache.builder(() -> AccessToken.bearer(
            SecretValue.of("token-" + fetches.incrementAndGet()), Instant.parse("2099-01-01T00:00:00Z")))
        .build();
    LatchkeyInterceptor<AccessToken> interceptor = LatchkeyInterceptor.<AccessToken>builder()
        .identity(WorkloadIdentity.of("report-exporter"))
        .credentials(tokens)
        .signer(BEARER)
        .classifier(RequestClassifier.restPaths("gateway"))
        .policy(POLICY)
        .auditSink(audit)
        .build();
    http = new OkHttpClient.Builder().addInterceptor(interceptor).build();
  }

  @AfterEach
  void stop() {
    gateway.close();
    tokens.close();
  }

  @Test
  void signsAllowedRequestAndAuditsIt() throws Exception {
    gateway.enqueue(new MockResponse.Builder().code(200).addHeader("x-request-id", "gw-1").body("ok").build());

    try (Response response = http.newCall(put("/reports/exports/a.csv", "a,b")).execute()) {
      assertThat(response.code()).isEqualTo(200);
    }

    RecordedRequest sent = gateway.takeRequest(5, TimeUnit.SECONDS);
    assertThat(sent.getHeaders().get("Authorization")).isEqualTo("Bearer token-1");
    assertThat(sent.getBody().utf8()).isEqualTo("a,b");
    StorageRequestEvent event = (StorageRequestEvent) audit.events(EventType.STORAGE_REQUEST).get(0);
    assertThat(event.requestId()).isEqualTo("gw-1");
    assertThat(event.action()).isEqualTo("WRITE");
    assertThat(event.resource()).isEqualTo("gateway://reports/exports/a.csv");
    assertThat(audit.jsonLines()).noneMatch(line -> line.contains("token-1"));
  }

  @Test
  void deniedRequestIsNotSent() {
    assertThatThrownBy(() -> http.newCall(put("/reports/finance/q1.csv", "x")).execute())
        .isInstanceOf(AccessDeniedException.class);

    assertThat(gateway.getRequestCount()).isZero();
    assertThat(audit.events(EventType.ACCESS_DENIED)).hasSize(1);
  }

  @Test
  void unauthorizedRefreshesTokenOnce() throws Exception {
    gateway.enqueue(new MockResponse.Builder().code(401).build());
    gateway.enqueue(new MockResponse.Builder().code(200).body("ok").build());

    try (Response response = http.newCall(put("/reports/exports/a.csv", "a,b")).execute()) {
      assertThat(response.code()).isEqualTo(200);
    }

    assertThat(gateway.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Authorization")).isEqualTo("Bearer token-1");
    RecordedRequest retry = gateway.takeRequest(5, TimeUnit.SECONDS);
    assertThat(retry.getHeaders().get("Authorization")).isEqualTo("Bearer token-2");
    assertThat(retry.getBody().utf8()).isEqualTo("a,b");
    assertThat(fetches.get()).isEqualTo(2);
    assertThat(audit.events(EventType.STORAGE_REQUEST)).hasSize(2);
  }

  /**
   * A one-shot body was consumed by the first send, so sending the request again would upload an
   * empty body that the server could store as the object. The 401 is returned instead, and the next
   * request gets a new token.
   */
  @Test
  void oneShotBodyIsNotResentAfterUnauthorized() throws Exception {
    gateway.enqueue(new MockResponse.Builder().code(401).build());
    gateway.enqueue(new MockResponse.Builder().code(200).body("ok").build());
    RequestBody oneShot = new RequestBody() {
      private final java.io.InputStream source = new java.io.ByteArrayInputStream("a,b".getBytes(java.nio.charset.StandardCharsets.UTF_8));

      @Override
      public MediaType contentType() {
        return MediaType.get("text/csv");
      }

      @Override
      public long contentLength() {
        return -1;
      }

      @Override
      public boolean isOneShot() {
        return true;
      }

      @Override
      public void writeTo(okio.BufferedSink sink) throws IOException {
        sink.write(source.readAllBytes());
      }
    };

    try (Response response = http.newCall(new Request.Builder().url(gateway.url("/reports/exports/a.csv")).put(oneShot).build())
        .execute()) {
      assertThat(response.code()).isEqualTo(401);
    }
    try (Response response = http.newCall(new Request.Builder().url(gateway.url("/reports/exports/a.csv")).build()).execute()) {
      assertThat(response.code()).isEqualTo(200);
    }

    RecordedRequest first = gateway.takeRequest(5, TimeUnit.SECONDS);
    assertThat(first.getBody().utf8()).isEqualTo("a,b");
    assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer token-1");
    RecordedRequest next = gateway.takeRequest(5, TimeUnit.SECONDS);
    assertThat(next.getMethod()).isEqualTo("GET");
    assertThat(next.getHeaders().get("Authorization")).isEqualTo("Bearer token-2");
    assertThat(gateway.getRequestCount()).isEqualTo(2);
  }

  @Test
  void secondUnauthorizedIsReturned() throws Exception {
    gateway.enqueue(new MockResponse.Builder().code(401).build());
    gateway.enqueue(new MockResponse.Builder().code(401).build());

    try (Response response = http.newCall(new Request.Builder().url(gateway.url("/reports/exports/a.csv")).build()).execute()) {
      assertThat(response.code()).isEqualTo(401);
    }

    assertThat(gateway.getRequestCount()).isEqualTo(2);
  }

  @Test
  void unknownMethodIsNotSent() {
    Request options = new Request.Builder().url(gateway.url("/reports/exports/a.csv")).method("OPTIONS", null).build();

    assertThatThrownBy(() -> http.newCall(options).execute())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OPTIONS");

    assertThat(gateway.getRequestCount()).isZero();
  }

  private Request put(String path, String body) {
    return new Request.Builder().url(gateway.url(path))
        .put(RequestBody.create(body, MediaType.get("text/csv"))).build();
  }
}
