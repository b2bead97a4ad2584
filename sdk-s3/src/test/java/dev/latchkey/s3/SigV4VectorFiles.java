package dev.latchkey.s3;

import dev.latchkey.s3.internal.UriEncoding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads the published SigV4 test vectors copied into the test resources. */
final class SigV4VectorFiles {

  private SigV4VectorFiles() {}

  static Path resource(String name) {
    URL url = SigV4VectorFiles.class.getClassLoader().getResource(name);
    if (url == null) {
      throw new IllegalStateException("Missing test resource " + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Stream<Path> directories(Path parent) {
    try (Stream<Path> children = Files.list(parent)) {
      return children.filter(Files::isDirectory).sorted().toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A raw HTTP request from a vector file: request line, headers (folded lines joined) and body. The
   * path is kept as the file writes it, which may hold spaces and non-ASCII characters.
   */
  record RawRequest(String method, String path, String query, List<String[]> headers, String body) {

    static RawRequest parse(String text) {
      String[] parts = text.split("\n\n", 2);
      String[] lines = parts[0].split("\n");
      String requestLine = lines[0];
      String method = requestLine.substring(0, requestLine.indexOf(' '));
      String target = requestLine.substring(method.length() + 1, requestLine.lastIndexOf(' '));
      int question = target.indexOf('?');
      String path = question < 0 ? target : target.substring(0, question);
      String query = question < 0 ? null : target.substring(question + 1);
      List<String[]> headers = new ArrayList<>();
      for (int i = 1; i < lines.length; i++) {
        String line = lines[i];
        if (line.startsWith(" ") || line.startsWith("\t")) {
          String[] last = headers.get(headers.size() - 1);
          last[1] = last[1] + "\n" + line;
        } else {
          int colon = line.indexOf(':');
          headers.add(new String[] {line.substring(0, colon), line.substring(colon + 1)});
        }
      }
      return new RawRequest(method, path, query, headers, parts.length > 1 ? parts[1] : "");
    }

    /** Returns a URI whose path is this request's path encoded once, which java.net.URI can hold. */
    URI encodedUri(String host) {
      var out = new dev.latchkey.s3.internal.ByteBuf(64);
      UriEncoding.appendPathKeepingEscapes(out, path);
      String encodedPath = out.toAsciiString(0, out.length());
      return URI.create("https://" + host + encodedPath + (query == null ? "" : "?" + query));
    }

    String header(String name) {
      for (String[] header : headers) {
        if (header[0].equalsIgnoreCase(name)) {
          return header[1];
        }
      }
      return null;
    }
  }
}
