package dev.latchkey.audit.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** File naming of rotated audit files and splitting of their content into lines. */
public final class AuditFiles {

  /** How far from the end of a file the last complete line is searched for. */
  private static final int TAIL_BYTES = 1024 * 1024;

  private AuditFiles() {}

  /** The complete lines of a file, without their line breaks, and the bytes after the last one. */
  public record Lines(List<byte[]> complete, byte[] partial) {}

  /** Returns the rotated files of {@code activeFile}, by number from oldest to newest. */
  public static TreeMap<Long, Path> rotatedFiles(Path activeFile) throws IOException {
    TreeMap<Long, Path> rotated = new TreeMap<>();
    Path folder = folderOf(activeFile);
    if (!Files.isDirectory(folder)) {
      return rotated;
    }
    String prefix = activeFile.getFileName().toString() + ".";
    try (Stream<Path> entries = Files.list(folder)) {
      entries.forEach(path -> {
        String name = path.getFileName().toString();
        String suffix = name.startsWith(prefix) ? name.substring(prefix.length()) : "";
        if (!suffix.isEmpty() && suffix.length() < 19 && suffix.chars().allMatch(Character::isDigit)) {
          rotated.put(Long.parseLong(suffix), path);
        }
      });
    }
    return rotated;
  }

  /** Returns the rotated files from oldest to newest, then the active file if it exists. */
  public static List<Path> chronological(Path activeFile) throws IOException {
    List<Path> files = new ArrayList<>(rotatedFiles(activeFile).values());
    if (Files.exists(activeFile)) {
      files.add(activeFile);
    }
    return files;
  }

  public static Path folderOf(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    return parent == null ? Path.of(".") : parent;
  }

  /** Returns the path a file rotated with {@code number} gets. */
  public static Path rotatedPath(Path activeFile, long number) {
    return activeFile.resolveSibling(activeFile.getFileName() + "." + number);
  }

  /** Splits content at {@code \n}; bytes after the last line break are the partial line. */
  public static Lines split(byte[] content) {
    List<byte[]> complete = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < content.length; i++) {
      if (content[i] == '\n') {
        complete.add(java.util.Arrays.copyOfRange(content, start, i));
        start = i + 1;
      }
    }
    byte[] partial = java.util.Arrays.copyOfRange(content, start, content.length);
    return new Lines(complete, partial);
  }

  /** Returns whether the file is non-empty and does not end with a line break. */
  public static boolean endsWithPartialLine(Path file) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      if (length == 0) {
        return false;
      }
      raf.seek(length - 1);
      return raf.read() != '\n';
    }
  }

  /** Returns the last complete line of the file, searching its last MiB, or {@code null} if none. */
  public static String lastCompleteLine(Path file) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      int size = (int) Math.min(length, TAIL_BYTES);
      byte[] tail = new byte[size];
      raf.seek(length - size);
      raf.readFully(tail);
      Lines lines = split(tail);
      if (lines.complete().isEmpty()) {
        return null;
      }
      byte[] last = lines.complete().get(lines.complete().size() - 1);
      return new String(last, StandardCharsets.UTF_8);
    }
  }

  /** Returns the text of a field written as {@code "name":"value"} in a line, or {@code null}. */
  public static String stringField(String line, String name) {
    String key = "\"" + name + "\":\"";
    int start = line.lastIndexOf(key);
    if (start < 0) {
      return null;
    }
    int valueStart = start + key.length();
    int valueEnd = line.indexOf('"', valueStart);
    return valueEnd < 0 ? null : line.substring(valueStart, valueEnd);
  }

  /** Returns the newest file of the log that has content, or {@code null}. */
  public static Path newestNonEmpty(Path activeFile) throws IOException {
    List<Path> files = chronological(activeFile);
    for (int i = files.size() - 1; i >= 0; i--) {
      if (Files.size(files.get(i)) > 0) {
        return files.get(i);
      }
    }
    return null;
  }

  static Map.Entry<Long, Path> oldest(TreeMap<Long, Path> rotated) {
    return rotated.firstEntry();
  }
}
