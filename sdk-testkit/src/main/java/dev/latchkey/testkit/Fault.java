package dev.latchkey.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * One misbehaviour that a {@link FaultInjectingProxy} puts in place of, or into, an upstream answer.
 *
 * <p>Each fault is what an issuer or a storage service really does when it is overloaded, restarting
 * or behind a broken proxy. Create them with the static factories.
 */
public final class Fault {

  /** The kinds of misbehaviour. */
  public enum Kind {
    /** An HTTP error status with a small JSON body; the upstream is not called. */
    STATUS,
    /** HTTP 429, with a {@code Retry-After} header when a delay is set; the upstream is not called. */
    TOO_MANY_REQUESTS,
    /** The upstream answer, with its headers held back for a delay. */
    SLOW_HEADERS,
    /** The upstream answer, with its body sent slowly over a total delay. */
    SLOW_BODY,
    /** HTTP 200 with {@code application/json} and a body that is not JSON. */
    MALFORMED_BODY,
    /** The upstream answer cut in the middle of its body, then the connection closed. */
    TRUNCATED_BODY,
    /**
     * The connection closed before any response. Despite the name it is a normal close (TCP FIN), which
     * clients read as an end of stream. {@link #RESET_BEFORE_RESPONSE} sends a TCP reset.
     */
    CONNECTION_RESET,
    /** The connection reset (TCP RST) after the request was read, before any response. */
    RESET_BEFORE_RESPONSE,
    /** The upstream response's headers and about half its body, then the connection reset (TCP RST). */
    RESET_DURING_BODY,
    /** HTTP 200 with a body of the given size in bytes, made of repeated characters. */
    OVERSIZED_BODY,
    /** The upstream answer with {@code Content-Type: text/html}. */
    WRONG_CONTENT_TYPE,
    /** The upstream answer with every header sent twice. */
    DUPLICATE_HEADERS
  }

  private final Kind kind;
  private final int status;
  private final Duration delay;
  private final long size;

  private Fault(Kind kind, int status, Duration delay, long size) {
    this.kind = kind;
    this.status = status;
    this.delay = delay;
    this.size = size;
  }

  /**
   * Answers with an HTTP status instead of calling the upstream.
   *
   * @throws IllegalArgumentException if {@code status} is not 400 to 599
   */
  public static Fault status(int status) {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("Invalid fault status " + status + ": use an error status, 400 to 599");
    }
    return new Fault(Kind.STATUS, status, Duration.ZERO, 0);
  }

  /** Answers 429 with {@code Retry-After} in whole seconds, or without it when {@code retryAfter} is null. */
  public static Fault tooManyRequests(Duration retryAfter) {
    return new Fault(Kind.TOO_MANY_REQUESTS, 429, retryAfter, 0);
  }

  public static Fault slowHeaders(Duration delay) {
    return new Fault(Kind.SLOW_HEADERS, 0, requirePositive(delay), 0);
  }

  public static Fault slowBody(Duration totalDelay) {
    return new Fault(Kind.SLOW_BODY, 0, requirePositive(totalDelay), 0);
  }

  public static Fault malformedBody() {
    return new Fault(Kind.MALFORMED_BODY, 200, Duration.ZERO, 0);
  }

  public static Fault truncatedBody() {
    return new Fault(Kind.TRUNCATED_BODY, 0, Duration.ZERO, 0);
  }

  public static Fault connectionReset() {
    return new Fault(Kind.CONNECTION_RESET, 0, Duration.ZERO, 0);
  }

  /** Resets the connection with a TCP RST once the request is read; the upstream is not called. */
  public static Fault resetBeforeResponse() {
    return new Fault(Kind.RESET_BEFORE_RESPONSE, 0, Duration.ZERO, 0);
  }

  /** Sends the upstream response's headers and about half its body, then resets the connection with a TCP RST. */
  public static Fault resetDuringBody() {
    return new Fault(Kind.RESET_DURING_BODY, 0, Duration.ZERO, 0);
  }

  /**
   * Answers 200 with a body of {@code size} bytes, streamed, so a client that reads without a bound
   * runs out of memory.
   */
  public static Fault oversizedBody(long size) {
    if (size < 1) {
      throw new IllegalArgumentException("Invalid oversized body size " + size + ": use 1 byte or more");
    }
    return new Fault(Kind.OVERSIZED_BODY, 200, Duration.ZERO, size);
  }

  public static Fault wrongContentType() {
    return new Fault(Kind.WRONG_CONTENT_TYPE, 0, Duration.ZERO, 0);
  }

  public static Fault duplicateHeaders() {
    return new Fault(Kind.DUPLICATE_HEADERS, 0, Duration.ZERO, 0);
  }

  public Kind kind() {
    return kind;
  }

  /** Returns the HTTP status for {@link Kind#STATUS} and {@link Kind#TOO_MANY_REQUESTS}, otherwise 0 or 200. */
  public int status() {
    return status;
  }

  /** Returns the delay of slow faults or the {@code Retry-After} of 429; may be null for 429. */
  public Duration delay() {
    return delay;
  }

  /** Returns the body size of {@link Kind#OVERSIZED_BODY}, otherwise 0. */
  public long size() {
    return size;
  }

  private static Duration requirePositive(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative() || delay.isZero()) {
      throw new IllegalArgumentException("Invalid fault delay " + delay + ": use a positive duration");
    }
    return delay;
  }

  @Override
  public String toString() {
    return "Fault[" + kind + (status > 0 ? " " + status : "") + (delay != null && !delay.isZero() ? " " + delay : "")
        + (size > 0 ? " " + size + " bytes" : "") + "]";
  }
}
