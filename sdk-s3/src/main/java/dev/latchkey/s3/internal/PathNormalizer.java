package dev.latchkey.s3.internal;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Normalizes a URI path for the canonical request of services other than S3: empty and {@code .}
 * segments are removed, {@code ..} removes the segment before it, and a trailing slash is kept.
 * S3 signs the path as sent, without this step.
 */
final class PathNormalizer {

  private PathNormalizer() {}

  static String normalize(String path) {
    Deque<String> segments = new ArrayDeque<>();
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        segments.pollLast();
      } else {
        segments.addLast(segment);
      }
    }
    if (segments.isEmpty()) {
      return "/";
    }
    StringBuilder normalized = new StringBuilder(path.length());
    for (String segment : segments) {
      normalized.append('/').append(segment);
    }
    if (path.endsWith("/")) {
      normalized.append('/');
    }
    return normalized.toString();
  }
}
