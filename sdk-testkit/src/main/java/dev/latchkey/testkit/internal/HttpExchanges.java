package dev.latchkey.testkit.internal;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Helpers for the JSON endpoints of the testkit that run on the JDK's HTTP server. */
public final class HttpExchanges {

  /** The largest request body the endpoints read, in bytes. */
  private static final int MAX_BODY_BYTES = 64 * 1024;

  private HttpExchanges() {}

  /**
   * Decodes {@code application/x-www-form-urlencoded} text, such as a query string or a form body.
   * A repeated name keeps its last value.
   */
  public static Map<String, String> decodeForm(String text) {
    Map<String, String> form = new HashMap<>();
    if (text == null) {
      return form;
    }
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      form.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return form;
  }

  /**
   * Reads the request body as UTF-8 text.
   *
   * @throws IOException if the body is longer than 64 KiB or cannot be read
   */
  public static String readBody(HttpExchange exchange) throws IOException {
    byte[] bytes = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
    if (bytes.length > MAX_BODY_BYTES) {
      throw new IOException("Request body is larger than " + MAX_BODY_BYTES + " bytes");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Sends a JSON response with {@code Cache-Control: no-store} and closes the exchange. */
  public static void sendJson(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
    exchange.close();
  }
}
