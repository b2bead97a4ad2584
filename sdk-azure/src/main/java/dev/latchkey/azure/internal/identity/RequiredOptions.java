package dev.latchkey.azure.internal.identity;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the required builder options that are unset, so that {@code build()} names all of them in
 * one message.
 */
public final class RequiredOptions {

  private final String what;
  private final List<String> missing = new ArrayList<>();

  /** @param what the thing being built, such as "A client secret credential" */
  public RequiredOptions(String what) {
    this.what = what;
  }

  /** Records {@code option} as missing if {@code value} is null. */
  public RequiredOptions check(String option, Object value) {
    if (value == null) {
      missing.add(option);
    }
    return this;
  }

  /**
   * Throws if any option was missing.
   *
   * @throws IllegalStateException naming every missing option
   */
  public void throwIfMissing() {
    if (!missing.isEmpty()) {
      throw new IllegalStateException(what + " needs " + String.join(", ", missing) + ": set "
          + (missing.size() == 1 ? "it" : "them") + " on the builder");
    }
  }
}
