package dev.latchkey.policy.internal;

/**
 * A compiled wildcard pattern over strings: {@code *} matches any run of characters without
 * {@code /}, {@code **} matches any run of characters, {@code \*} is a literal asterisk and
 * {@code \\} a literal backslash. Every other character, including {@code %}, spaces and
 * non-ASCII characters, matches itself; nothing is decoded or normalized.
 *
 * <p>Matching allocates nothing. The common shapes (a literal, or a literal prefix followed by one
 * wildcard) take a fast path. Other patterns backtrack over their wildcards, so their cost grows with
 * the input's length to the power of the number of wildcards; policy patterns have few. Instances
 * are immutable and thread-safe.
 */
public final class Glob {

  private static final byte LITERAL = 0;
  private static final byte STAR = 1;
  private static final byte DOUBLE_STAR = 2;

  private enum Shape { LITERAL, PREFIX_THEN_DOUBLE_STAR, PREFIX_THEN_STAR, GENERAL }

  private final byte[] kinds;
  private final String[] texts;
  private final Shape shape;

  private Glob(byte[] kinds, String[] texts) {
    this.kinds = kinds;
    this.texts = texts;
    this.shape = shapeOf(kinds);
  }

  /**
   * Compiles a pattern.
   *
   * @param pattern the pattern text
   * @param allowDoubleStar whether {@code **} may appear
   * @throws IllegalArgumentException if a backslash escapes something other than {@code *} or
   *     {@code \}, if three or more {@code *} follow each other, or if {@code **} is not allowed
   */
  public static Glob compile(String pattern, boolean allowDoubleStar) {
    Tokenizer tokenizer = new Tokenizer(pattern, allowDoubleStar);
    tokenizer.run();
    return new Glob(tokenizer.kinds(), tokenizer.texts());
  }

  /** Returns whether the whole of {@code input} matches this pattern. */
  public boolean matches(String input) {
    switch (shape) {
      case LITERAL:
        return kinds.length == 0 ? input.isEmpty() : input.equals(texts[0]);
      case PREFIX_THEN_DOUBLE_STAR:
        return kinds.length == 1 || input.startsWith(texts[0]);
      case PREFIX_THEN_STAR:
        return matchesPrefixThenStar(input);
      default:
        return matchFrom(0, input, 0);
    }
  }

  /** Returns whether the pattern has no wildcard, so it matches exactly one string. */
  public boolean isLiteral() {
    return shape == Shape.LITERAL;
  }

  /** Returns whether the pattern is a literal prefix, possibly empty, followed by one {@code **}. */
  public boolean isPrefixThenDoubleStar() {
    return shape == Shape.PREFIX_THEN_DOUBLE_STAR;
  }

  /** Returns whether the pattern is a literal prefix, possibly empty, followed by one {@code *}. */
  public boolean isPrefixThenStar() {
    return shape == Shape.PREFIX_THEN_STAR;
  }

  /** Returns the literal text before the first wildcard, with escapes removed. */
  public String literalPrefix() {
    return kinds.length > 0 && kinds[0] == LITERAL ? texts[0] : "";
  }

  private boolean matchesPrefixThenStar(String input) {
    String prefix = literalPrefix();
    return input.startsWith(prefix) && input.indexOf('/', prefix.length()) < 0;
  }

  private boolean matchFrom(int token, String input, int position) {
    if (token == kinds.length) {
      return position == input.length();
    }
    if (kinds[token] == LITERAL) {
      String text = texts[token];
      return input.startsWith(text, position) && matchFrom(token + 1, input, position + text.length());
    }
    boolean crossesSlash = kinds[token] == DOUBLE_STAR;
    if (token + 1 == kinds.length) {
      return crossesSlash || input.indexOf('/', position) < 0;
    }
    return matchWildcard(token, input, position, crossesSlash);
  }

  /** Tries every end of the wildcard at {@code token}; the next token is a literal. */
  private boolean matchWildcard(int token, String input, int position, boolean crossesSlash) {
    String next = texts[token + 1];
    int limit = crossesSlash ? input.length() : slashOrEnd(input, position);
    for (int end = input.indexOf(next, position); end >= 0 && end <= limit;
        end = input.indexOf(next, end + 1)) {
      if (matchFrom(token + 2, input, end + next.length())) {
        return true;
      }
    }
    return false;
  }

  private static int slashOrEnd(String input, int from) {
    int slash = input.indexOf('/', from);
    return slash < 0 ? input.length() : slash;
  }

  private static Shape shapeOf(byte[] kinds) {
    if (kinds.length == 0 || (kinds.length == 1 && kinds[0] == LITERAL)) {
      return Shape.LITERAL;
    }
    int wildcard = kinds[0] == LITERAL ? 1 : 0;
    if (wildcard == kinds.length - 1) {
      return kinds[wildcard] == DOUBLE_STAR ? Shape.PREFIX_THEN_DOUBLE_STAR : Shape.PREFIX_THEN_STAR;
    }
    return Shape.GENERAL;
  }

  /** Splits pattern text into literal and wildcard tokens, merging escaped characters into literals. */
  private static final class Tokenizer {
    private final String pattern;
    private final boolean allowDoubleStar;
    private final java.util.List<Byte> kinds = new java.util.ArrayList<>();
    private final java.util.List<String> texts = new java.util.ArrayList<>();
    private final StringBuilder literal = new StringBuilder();

    Tokenizer(String pattern, boolean allowDoubleStar) {
      this.pattern = pattern;
      this.allowDoubleStar = allowDoubleStar;
    }

    void run() {
      int i = 0;
      while (i < pattern.length()) {
        char c = pattern.charAt(i);
        if (c == '\\') {
          literal.append(escaped(i));
          i += 2;
        } else if (c == '*') {
          i = wildcard(i);
        } else {
          literal.append(c);
          i++;
        }
      }
      flushLiteral();
    }

    private char escaped(int backslash) {
      char next = backslash + 1 < pattern.length() ? pattern.charAt(backslash + 1) : 0;
      if (next != '*' && next != '\\') {
        throw new IllegalArgumentException("Invalid pattern '" + pattern + "': the backslash at index "
            + backslash + " escapes nothing; write \\* for a literal '*' and \\\\ for a literal '\\'");
      }
      return next;
    }

    private int wildcard(int start) {
      int end = start;
      while (end < pattern.length() && pattern.charAt(end) == '*') {
        end++;
      }
      int count = end - start;
      if (count > 2) {
        throw new IllegalArgumentException("Invalid pattern '" + pattern + "': " + count
            + " '*' in a row at index " + start + "; use * within a segment or ** across segments");
      }
      if (count == 2 && !allowDoubleStar) {
        throw new IllegalArgumentException("Invalid pattern '" + pattern + "': ** at index " + start
            + " is not allowed here; use * within one segment");
      }
      flushLiteral();
      kinds.add(count == 2 ? DOUBLE_STAR : STAR);
      texts.add(null);
      return end;
    }

    private void flushLiteral() {
      if (literal.length() > 0) {
        kinds.add(LITERAL);
        texts.add(literal.toString());
        literal.setLength(0);
      }
    }

    byte[] kinds() {
      byte[] result = new byte[kinds.size()];
      for (int i = 0; i < result.length; i++) {
        result[i] = kinds.get(i);
      }
      return result;
    }

    String[] texts() {
      return texts.toArray(new String[0]);
    }
  }
}
