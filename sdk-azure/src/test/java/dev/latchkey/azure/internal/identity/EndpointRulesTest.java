package dev.latchkey.azure.internal.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointRulesTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "https://login.microsoftonline.com",
      "https://login.example.org:8443/tenant/oauth2/v2.0/token",
      "http://127.0.0.1:8080/token",
      "http://127.8.9.10/token",
      "http://localhost:41741/msi/token",
      "http://[::1]:8080/token",
      "http://169.254.169.254/metadata/identity/oauth2/token"})
  void acceptsHttpsAndLocalHttp(String url) {
    assertThat(EndpointRules.requireTokenEndpoint("endpoint", URI.create(url)).toString())
        .startsWith(url.substring(0, url.indexOf(':')));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "http://login.microsoftonline.com/tenant",
      "http://10.0.0.1/token",
      "http://169.254.169.253/token",
      "http://127.0.0.1.example.com/token",
      "http://[::2]/token"})
  void rejectsPlainHttpToOtherHosts(String url) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> EndpointRules.requireTokenEndpoint("authorityHost", URI.create(url)))
        .withMessageContaining("authorityHost")
        .withMessageContaining("https://");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://example.com/token", "/relative/token", "login.microsoftonline.com"})
  void rejectsUrlsThatAreNotAbsoluteHttp(String url) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> EndpointRules.requireTokenEndpoint("authorityHost", URI.create(url)))
        .withMessageContaining("'" + url + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://user:pass@login.example.org/", "https://login.example.org/#frag"})
  void rejectsUserInfoAndFragments(String url) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> EndpointRules.requireTokenEndpoint("authorityHost", URI.create(url)))
        .withMessageContaining("user info")
        .withMessageNotContaining("pass");
  }
}
