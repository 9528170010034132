package io.dbbinding.migrate;

/** How names and texts from Flyway and the server are put into a one-line message. */
final class MessageText {
  private MessageText() {}

  /** The text on one line: line breaks and the blanks around them become one space. */
  static String oneLine(String s) {
    return s == null ? "" : s.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }

  /** The file name of a script path as Flyway reports it; empty for none. */
  static String fileName(String path) {
    if (path == null) {
      return "";
    }
    int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    return slash < 0 ? path : path.substring(slash + 1);
  }
}
