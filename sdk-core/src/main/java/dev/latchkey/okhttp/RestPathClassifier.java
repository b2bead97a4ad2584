package dev.latchkey.okhttp;

import dev.latchkey.policy.Action;
import java.util.List;
import java.util.Objects;
import okhttp3.Request;

/** Classifies {@code /container/key} requests by method; see {@link RequestClassifier#restPaths}. */
final class RestPathClassifier implements RequestClassifier {

  private final String scheme;

  RestPathClassifier(String scheme) {
    Objects.requireNonNull(scheme, "scheme");
    if (!scheme.matches("[a-z][a-z0-9+.-]*")) {
      throw new IllegalArgumentException("Invalid resource scheme '" + scheme + "': use lower-case letters, digits, '+', '.' and '-'");
    }
    this.scheme = scheme;
  }

  @Override
  public RequestTarget classify(Request request) {
    List<String> segments = request.url().pathSegments();
    String container = segments.get(0);
    if (container.isEmpty()) {
      throw new IllegalArgumentException("Request " + request.method() + " " + request.url().encodedPath()
          + " names no container; the path must start with /container");
    }
    String key = String.join("/", segments.subList(1, segments.size()));
    return new RequestTarget(actionOf(request.method(), key.isEmpty()), scheme + "://" + container + "/" + key);
  }

  private static Action actionOf(String method, boolean onContainer) {
    return switch (method) {
      case "GET", "HEAD" -> onContainer ? Action.LIST : Action.READ;
      case "PUT", "POST", "PATCH" -> Action.WRITE;
      case "DELETE" -> Action.DELETE;
      default -> throw new IllegalArgumentException("HTTP method " + method + " has no storage action; use GET, HEAD, PUT, POST, PATCH or DELETE");
    };
  }
}
