package dev.latchkey.okhttp;

import okhttp3.Request;

/**
 * Maps an HTTP request of a storage API to the action and resource an access policy judges, for
 * {@link LatchkeyInterceptor}.
 */
@FunctionalInterface
public interface RequestClassifier {

  /**
   * Returns what the request does.
   *
   * @throws IllegalArgumentException if the request is not one this API supports; the interceptor then
   *     denies it without sending it
   */
  RequestTarget classify(Request request);

  /**
   * Returns a classifier for REST-style APIs whose path is {@code /container/key}: GET and HEAD read
   * (or list, on the container itself), PUT and POST write, DELETE deletes.
   *
   * @param scheme the resource scheme, such as {@code gateway}
   */
  static RequestClassifier restPaths(String scheme) {
    return new RestPathClassifier(scheme);
  }
}
