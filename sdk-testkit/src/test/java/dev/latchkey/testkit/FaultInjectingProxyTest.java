package dev.latchkey.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FaultInjectingProxyTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static OidcIssuer issuer;
  private static final OkHttpClient CLIENT = new OkHttpClient.Builder()
      .retryOnConnectionFailure(false)
      .readTimeout(Duration.ofSeconds(5))
      .build();

  @BeforeAll
  static void startIssuer() {
    issuer = OidcIssuer.builder().tokenLifetime(Duration.ofSeconds(30)).start();
  }

  @AfterAll
  static void stopIssuer() {
    issuer.close();
  }

  @Test
  void forwardsUnscriptedCalls() throws IOException {
    try (FaultInjectingProxy proxy = FaultInjectingProxy.builder(issuer.issuerUrl()).start()) {
      JsonNode token = postToken(proxy);

      assertThat(token.path("access_token").asText()).isNotEmpty();
      assertThat(token.path("expires_in").asLong()).isBetween(28L, 30L);
      assertThat(proxy.forwardedCount()).isEqualTo(1);
      assertThat(proxy.faultCount()).isZero();
    }
  }

  @Test
  void scriptedFaultsComeInOrder() throws IOException {
    try (FaultInjectingProxy proxy = FaultInjectingProxy.builder(issuer.issuerUrl()).start()) {
      proxy.enqueue(Fault.status(503), Fault.tooManyRequests(Duration.ofSeconds(7)), Fault.malformedBody());

      try (Response first = CLIENT.newCall(tokenRequest(proxy)).execute()) {
        assertThat(first.code()).isEqualTo(503);
      }
      try (Response second = CLIENT.newCall(tokenRequest(proxy)).execute()) {
        assertThat(second.code()).isEqualTo(429);
        assertThat(second.header("Retry-After")).isEqualTo("7");
      }
      try (Response third = CLIENT.newCall(tokenRequest(proxy)).execute()) {
        assertThat(third.code()).isEqualTo(200);
        assertThat(third.body().string()).startsWith("<html>");
      }
      assertThat(postToken(proxy).path("access_token").asText()).isNotEmpty();
      assertThat(proxy.faultCount()).isEqualTo(3);
      assertThat(proxy.forwardedCount()).isEqualTo(1);
    }
  }

  @Test
  void statusFaultOnHeadKeepsConnectionUsable() throws IOException {
    try (FaultInjectingProxy proxy = FaultInjectingProxy.builder(issuer.issuerUrl()).start()) {
      proxy.enqueue(Fault.tooManyRequests(Duration.ofSeconds(1)));
      String path = issuer.issuerUrl().encodedPath() + "/.well-known/openid-configuration";
      Request head = new Request.Builder().url(proxy.url(path)).head().build();
      int upstreamStatus;
      try (Response direct = CLIENT.newCall(head.newBuilder().url(issuer.issuerUrl().resolve(path)).build()).execute()) {
        upstreamStatus = direct.code();
      }

      try (Response faulty = CLIENT.newCall(head).execute()) {
        assertThat(faulty.code()).isEqualTo(429);
        assertThat(faulty.header("Retry-After")).isEqualTo("1");
      }
      // The same connection carries the next request, which fails if the 429 sent a body.
      try (Response next = CLIENT.newCall(head).execute()) {
        assertThat(next.code()).isEqualTo(upstreamStatus);
      }
      assertThat(proxy.faultCount()).isEqualTo(1);
    }
  }

  @Test
  void truncatedBodyFailsTheReader() throws IOException {
    try (FaultInjectingProxy proxy = FaultInjectingProxy.builder(issuer.issuerUrl()).start()) {
      proxy.enqueue(Fault.truncatedBody());

      try (Response response = CLIENT.newCall(tokenRequest(proxy)).execute()) {
        assertThat(response.code()).isEqualTo(200);
        assertThatThrownBy(() -> response.body().string()).isInstanceOf(IOException.class);
      }
    }
  }

  @Test
  void connectionResetFailsTheCall() throws IOException {
    try (FaultInjectingProxy proxy = FaultInjectingProxy.builder(issuer.issuerUrl()).start()) {
      proxy.enqueue(Fault.connectionReset());

      assertThatThrownBy(() -> CLIENT.newCall(tokenRequest(proxy)).execute().close())
          .isInstanceOf(IOException.class);
      assertThat(postToken(proxy).path("access_token").asText()).isNotEmpty();
    }
  }

  @Test
  void resetBeforeResponseFailsWithReset() throws IOException {
    try (FaultInjectingProxy proxy = FaultInjectingProxy.builder(issuer.issuerUrl()).start()) {
      proxy.enqueue(Fault.resetBeforeResponse());

      assertThatThrownBy(() -> CLIENT.newCall(tokenRequest(proxy)).execute().close())
          .isInstanceOf(IOException.class)
          .hasMessageContaining("reset");
      assertThat(postToken(proxy).path("access_token").asText()).isNotEmpty();
      assertThat(proxy.faultCount(Fault.Kind.RESET_BEFORE_RESPONSE)).isEqualTo(1);
      assertThat(proxy.faultCount(Fault.Kind.CONNECTION_RESET)).isZero();
    }
  }

  @Test
  void resetDuringBodyFailsTheReader() throws IOException {
    try (FaultInjectingProxy proxy = FaultInjectingProxy.builder(issuer.issuerUrl()).start()) {
      proxy.enqueue(Fault.resetDuringBody());

      try (Response response = CLIENT.newCall(tokenRequest(proxy)).execute()) {
        assertThat(response.code()).isEqualTo(200);
        assertThatThrownBy(() -> response.body().string())
            .isInstanceOf(IOException.class)
            .hasMessageContaining("reset");
      }
      assertThat(postToken(proxy).path("access_token").asText()).isNotEmpty();
      assertThat(proxy.faultCount(Fault.Kind.RESET_DURING_BODY)).isEqualTo(1);
      assertThat(proxy.faultCount()).isEqualTo(1);
    }
  }

  @Test
  void failureRateInjectsAboutThatShare() throws IOException {
    try (FaultInjectingProxy proxy = FaultInjectingProxy.builder(issuer.issuerUrl())
        .failureRate(0.3, Fault.status(500))
        .seed(42)
        .start()) {
      int failures = 0;
      for (int i = 0; i < 100; i++) {
        try (Response response = CLIENT.newCall(tokenRequest(proxy)).execute()) {
          failures += response.code() == 500 ? 1 : 0;
        }
      }

      assertThat(failures).isBetween(15, 45);
      assertThat(proxy.faultCount()).isEqualTo(failures);
      assertThat(proxy.forwardedCount()).isEqualTo(100 - failures);
    }
  }

  @Test
  void nonLoopbackUpstreamIsRejected() {
    assertThatThrownBy(() -> FaultInjectingProxy.builder(HttpUrl.get("https://login.example.com/")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("login.example.com")
        .hasMessageContaining("loopback");
  }

  private static JsonNode postToken(FaultInjectingProxy proxy) throws IOException {
    try (Response response = CLIENT.newCall(tokenRequest(proxy)).execute()) {
      assertThat(response.code()).isEqualTo(200);
      return JSON.readTree(response.body().string());
    }
  }

  private static Request tokenRequest(FaultInjectingProxy proxy) {
    String path = issuer.tokenEndpoint().encodedPath();
    FormBody form = new FormBody.Builder()
        .add("grant_type", "client_credentials")
        .add("client_id", "report-exporter")
        .add("client_secret", "not-checked")
        .add("scope", "storage")
        .build();
    return new Request.Builder().url(proxy.url(path)).post(form).build();
  }
}
