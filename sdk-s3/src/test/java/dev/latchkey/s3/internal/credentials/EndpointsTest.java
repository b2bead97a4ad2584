package dev.latchkey.s3.internal.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EndpointsTest {

  @Test
  void recognizesLoopbackLiterals() {
    assertThat(Endpoints.isLoopback("127.0.0.1")).isTrue();
    assertThat(Endpoints.isLoopback("127.9.8.7")).isTrue();
    assertThat(Endpoints.isLoopback("[::1]")).isTrue();
    assertThat(Endpoints.isLoopback("LOCALHOST")).isTrue();
    assertThat(Endpoints.isLoopback("127.0.0.1.example.com")).isFalse();
    assertThat(Endpoints.isLoopback("128.0.0.1")).isFalse();
    assertThat(Endpoints.isLoopback("127.0.0.256")).isFalse();
  }

  @Test
  void allowsPlainHttpOnlyToListedHosts() {
    Set<String> hosts = Set.of("169.254.170.2");

    assertThat(Endpoints.requireSecure(URI.create("http://169.254.170.2/v2/x"), "uri", hosts)).isNotNull();
    assertThat(Endpoints.requireSecure(URI.create("http://127.0.0.1:8080/"), "uri", hosts)).isNotNull();
    assertThat(Endpoints.requireSecure(URI.create("https://example.com/"), "uri", hosts)).isNotNull();
    assertThatThrownBy(() -> Endpoints.requireSecure(URI.create("http://example.com/"), "uri", hosts))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid uri 'http://example.com'")
        .hasMessageContaining("use https");
    assertThatThrownBy(() -> Endpoints.requireSecure(URI.create("/relative"), "uri", hosts))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("absolute");
  }
}
