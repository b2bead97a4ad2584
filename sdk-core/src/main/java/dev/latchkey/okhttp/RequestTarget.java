package dev.latchkey.okhttp;

import dev.latchkey.policy.Action;
import java.util.Objects;

/**
 * What an HTTP request does, in access-policy terms: an action on a resource such as {@code
 * s3://bucket/key} or {@code gateway://reports/2026/q1.csv}.
 *
 * @param action the action the request performs
 * @param resource the resource it touches, written as {@code scheme://container/key}
 */
public record RequestTarget(Action action, String resource) {

  public RequestTarget {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(resource, "resource");
  }
}
