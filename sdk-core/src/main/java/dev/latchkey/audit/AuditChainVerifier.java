package dev.latchkey.audit;

import dev.latchkey.audit.internal.AuditFiles;
import dev.latchkey.audit.internal.ChainMac;
import dev.latchkey.credentials.SecretValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks the hash chain of a {@link JsonLinesAuditSink} log, across its rotated files, and reports
 * the first line where it breaks.
 *
 * <p>For each line, in order, the verifier recomputes the line's HMAC-SHA256 and compares the line's
 * {@code prev} field with the HMAC of the line before. A line whose HMAC does not match was edited,
 * unless the chain skips it (the next line follows on from the line before it), in which case it
 * was inserted. A line that is intact but does not follow on was moved there from elsewhere
 * (reordered), was copied (inserted), or follows a line that was deleted. Incomplete last lines
 * of files, left by crashes, are skipped and reported.
 *
 * <p>NOTE: lines deleted from the end of the newest file leave no trace in the chain. Compare the
 * last sequence number or HMAC with a copy kept elsewhere to detect that. The verifier keeps the HMAC
 * of every line in memory, about 100 bytes per line.
 */
public final class AuditChainVerifier {

  private AuditChainVerifier() {}

  /** The kind of change that broke the chain. */
  public enum BreakKind {
    /** The line's content does not match its HMAC. */
    EDITED,
    /** One or more lines before this one are missing. */
    DELETED,
    /** The line was not written by the sink at this place: forged, or a copy of another line. */
    INSERTED,
    /** The line is intact but belongs elsewhere in the log. */
    REORDERED,
    /** The line has no chain fields or they are not 64 hex digits. */
    MALFORMED
  }

  /**
   * The first break in a chain.
   *
   * @param file the file holding the line
   * @param lineNumber the line's number in that file, counting from 1
   * @param kind how the chain broke
   * @param detail a readable explanation
   */
  public record ChainBreak(Path file, long lineNumber, BreakKind kind, String detail) {}

  /**
   * The outcome of a verification.
   *
   * @param files the files checked, oldest first
   * @param linesChecked the number of complete lines checked up to the first break, or in all
   * @param firstBreak the first break, if any
   * @param partialLines incomplete last lines that were skipped
   */
  public record Report(
      List<Path> files, long linesChecked, Optional<ChainBreak> firstBreak, List<AuditLogReader.PartialLine> partialLines) {

    /** Returns whether the chain is unbroken. */
    public boolean intact() {
      return firstBreak.isEmpty();
    }
  }

  /** One complete line and where it is. */
  private record Line(Path file, long number, String text, String prev, String mac) {}

  /**
   * Verifies the log whose active file is {@code activeFile}, with its rotated files.
   *
   * @throws AuditException if a file cannot be read
   */
  public static Report verify(Path activeFile, SecretValue key) {
    return verify(AuditLogReader.files(activeFile), key);
  }

  /**
   * Verifies the given files as one chain, in the order given (oldest first).
   *
   * @throws AuditException if a file cannot be read
   */
  public static Report verify(List<Path> files, SecretValue key) {
    List<AuditLogReader.PartialLine> partialLines = new ArrayList<>();
    List<Line> lines = readLines(files, partialLines);
    Map<String, Integer> positionOfMac = new HashMap<>();
    Map<String, Integer> copiesOfMac = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      positionOfMac.putIfAbsent(lines.get(i).mac(), i);
      copiesOfMac.merge(lines.get(i).mac(), 1, Integer::sum);
    }
    Optional<ChainBreak> firstBreak = findFirstBreak(lines, positionOfMac, copiesOfMac, new ChainMac(key));
    long checked = firstBreak.isPresent() ? indexOf(lines, firstBreak.get()) : lines.size();
    return new Report(List.copyOf(files), checked, firstBreak, List.copyOf(partialLines));
  }

  private static List<Line> readLines(List<Path> files, List<AuditLogReader.PartialLine> partialLines) {
    List<Line> lines = new ArrayList<>();
    for (Path file : files) {
      AuditFiles.Lines split = AuditFiles.split(AuditLogReader.readBytes(file));
      for (int i = 0; i < split.complete().size(); i++) {
        String text = new String(split.complete().get(i), StandardCharsets.UTF_8);
        lines.add(new Line(file, i + 1L, text,
            AuditFiles.stringField(text, ChainMac.PREV_FIELD), AuditFiles.stringField(text, ChainMac.MAC_FIELD)));
      }
      if (split.partial().length > 0) {
        partialLines.add(new AuditLogReader.PartialLine(file, split.complete().size() + 1L, split.partial().length));
      }
    }
    return lines;
  }

  private static Optional<ChainBreak> findFirstBreak(
      List<Line> lines, Map<String, Integer> positionOfMac, Map<String, Integer> copiesOfMac, ChainMac chain) {
    String expectedPrev = ChainMac.GENESIS;
    for (int i = 0; i < lines.size(); i++) {
      Line line = lines.get(i);
      if (!wellFormed(line)) {
        return Optional.of(new ChainBreak(line.file(), line.number(), BreakKind.MALFORMED,
            "the line does not end with the hash chain fields " + ChainMac.PREV_FIELD + " and " + ChainMac.MAC_FIELD));
      }
      boolean selfValid = chain.macOf(bodyOf(line), bodyOf(line).length).equals(line.mac());
      boolean followsOn = line.prev().equals(expectedPrev);
      if (selfValid && followsOn) {
        expectedPrev = line.mac();
        continue;
      }
      Line next = i + 1 < lines.size() ? lines.get(i + 1) : null;
      return Optional.of(diagnose(line, next, expectedPrev, selfValid, positionOfMac, copiesOfMac));
    }
    return Optional.empty();
  }

  private static ChainBreak diagnose(Line line, Line next, String expectedPrev, boolean selfValid,
      Map<String, Integer> positionOfMac, Map<String, Integer> copiesOfMac) {
    if (!selfValid) {
      boolean skippedByChain = next != null && expectedPrev.equals(next.prev());
      return skippedByChain
          ? breakAt(line, BreakKind.INSERTED, "the line's HMAC does not match and the next line follows on from the line before it")
          : breakAt(line, BreakKind.EDITED, "the line's content does not match its HMAC");
    }
    if (copiesOfMac.get(line.mac()) > 1) {
      return breakAt(line, BreakKind.INSERTED, "the line is a copy of another line of the log");
    }
    Integer predecessor = positionOfMac.get(line.prev());
    if (predecessor != null) {
      return breakAt(line, BreakKind.REORDERED, "the line is intact but follows a line at another position");
    }
    return breakAt(line, BreakKind.DELETED, "the line is intact but the line it follows is missing");
  }

  private static ChainBreak breakAt(Line line, BreakKind kind, String detail) {
    return new ChainBreak(line.file(), line.number(), kind, detail);
  }

  private static boolean wellFormed(Line line) {
    return line.prev() != null && line.mac() != null && isHex64(line.prev()) && isHex64(line.mac())
        && line.text().endsWith("\"" + ChainMac.MAC_FIELD + "\":\"" + line.mac() + "\"}");
  }

  private static boolean isHex64(String text) {
    return text.length() == 64 && text.chars().allMatch(c -> Character.digit(c, 16) >= 0);
  }

  /** Returns the bytes the line's HMAC covers: the line without its mac field, without the closing brace. */
  private static byte[] bodyOf(Line line) {
    byte[] text = line.text().getBytes(StandardCharsets.UTF_8);
    return java.util.Arrays.copyOf(text, text.length - ChainMac.MAC_SUFFIX_LENGTH);
  }

  private static long indexOf(List<Line> lines, ChainBreak chainBreak) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).file().equals(chainBreak.file()) && lines.get(i).number() == chainBreak.lineNumber()) {
        return i;
      }
    }
    return lines.size();
  }

  /**
   * Verifies the log named by the first argument with the key in the environment variable {@code
   * LATCHKEY_AUDIT_CHAIN_KEY}, prints the result and exits with 0 when the chain is intact, 1 when it
   * is broken and 2 on a usage error. The key is read from the environment so that it does not show
   * in process listings.
   */
  public static void main(String[] args) {
    String key = System.getenv("LATCHKEY_AUDIT_CHAIN_KEY");
    if (args.length != 1 || key == null || key.isEmpty()) {
      System.err.println("Usage: LATCHKEY_AUDIT_CHAIN_KEY=<key> java dev.latchkey.audit.AuditChainVerifier <active audit file>");
      System.exit(2);
    }
    Report report = verify(Path.of(args[0]), SecretValue.of(key));
    System.out.println(describe(report));
    System.exit(report.intact() ? 0 : 1);
  }

  /** Describes a report in a few lines for a person. */
  public static String describe(Report report) {
    StringBuilder out = new StringBuilder();
    report.firstBreak().ifPresentOrElse(
        found -> out.append("Hash chain broken at line ").append(found.lineNumber()).append(" of ").append(found.file())
            .append(": ").append(found.kind()).append(" (").append(found.detail()).append(")"),
        () -> out.append("Hash chain intact: ").append(report.linesChecked()).append(" lines in ")
            .append(report.files().size()).append(" files"));
    for (AuditLogReader.PartialLine partial : report.partialLines()) {
      out.append("\nSkipped incomplete line ").append(partial.lineNumber()).append(" of ").append(partial.file())
          .append(" (").append(partial.length()).append(" bytes), left by a crash");
    }
    return out.toString();
  }
}
