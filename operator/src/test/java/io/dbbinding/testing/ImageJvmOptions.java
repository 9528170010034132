package io.dbbinding.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The JVM flags the image starts every role with, for tests that run a process as the pod does. */
public final class ImageJvmOptions {
  private ImageJvmOptions() {}

  public static List<String> read() throws IOException {
    Matcher m =
        Pattern.compile("(?m)^ENV JDK_JAVA_OPTIONS=\"([^\"]*)\"")
            .matcher(Files.readString(Path.of("..", "Dockerfile")));
    if (!m.find()) {
      throw new IllegalStateException("no JDK_JAVA_OPTIONS in the Dockerfile");
    }
    return Arrays.asList(m.group(1).split(" "));
  }
}
