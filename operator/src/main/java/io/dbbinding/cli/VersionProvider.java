package io.dbbinding.cli;

import io.dbbinding.config.Settings;
import picocli.CommandLine.IVersionProvider;

/** {@code dbbinding --version}: the jar's version. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"dbbinding " + Settings.jarVersion()};
  }
}
